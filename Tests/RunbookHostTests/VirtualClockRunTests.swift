import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

/// Runs on a virtual clock: time jumps ahead whenever every operation waits on it, so hours of
/// waiting take no real time, and it never jumps while an operation is busy (an HTTP call).
@Suite(.timeLimit(.minutes(1))) struct VirtualClockRunTests {
    private func run(_ source: String, dialect: SimulatorDialect = .observed, phaseDuration: Duration = .zero)
        async throws -> (RunReport, [String])
    {
        let harness = try await HostHarness.start(
            phaseDuration: phaseDuration, dialect: dialect, clock: VirtualClock(epochMillis: 1_700_000_000_000))
        defer { Task { await harness.stop() } }
        let report = await harness.run(source)
        return (report, harness.results.values)
    }

    @Test func sleepsTakeVirtualTime() async throws {
        let (report, results) = try await run("sleep('2h') sim.result(tostring(ldrun.clock()))")
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(results == ["7200.0"])
    }

    @Test func concurrentSleepsWakeInDeadlineOrder() async throws {
        let (report, results) = try await run(
            """
            local a = spawn(function() sleep('1h') sim.result('a@' .. ldrun.clock()) end)
            local b = spawn(function()
              sleep('30m') sim.result('b@' .. ldrun.clock())
              sleep('1h') sim.result('b2@' .. ldrun.clock())
            end)
            a:wait() b:wait()
            """)
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(results == ["b@1800.0", "a@3600.0", "b2@5400.0"])
    }

    @Test func waitUntilTimesOutOnVirtualTime() async throws {
        let (report, results) = try await run(
            """
            local ok, err = pcall(wait_until, function() return false end, {timeout = '2h', every = '1m'})
            sim.result(err.code) sim.result(tostring(ldrun.clock() >= 7200))
            """)
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(results == ["timeout", "true"])
    }

    /// Time stands still while a task's HTTP call is in flight, even though another task
    /// sleeps: only when every operation sleeps does it jump.
    @Test func timeDoesNotJumpWhileARequestIsBusy() async throws {
        let (report, results) = try await run(
            """
            local sleeper = spawn(function() sleep('1h') end)
            for _ = 1, 5 do release.get('dark-mode') end
            sim.result(tostring(ldrun.clock()))
            sleeper:wait()
            sim.result(tostring(ldrun.clock()))
            """)
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(results == ["0.0", "3600.0"])
    }

    /// What takes half an hour in the simulator (a phase's duration in the spec dialect; a
    /// guarded rollout's monitoring in the observed one) rolls out in no real time: the
    /// simulator's time is the run's.
    @Test(arguments: [SimulatorDialect.observed, .spec])
    func phaseWaitFollowsTheSimulatorOnTheSameClock(dialect: SimulatorDialect) async throws {
        let (report, results) = try await run(
            """
            local rel = release.create('dark-mode', 'standard')
            phase.start(rel)
            phase.wait('dark-mode', 'Testing', {timeout = '2h'})
            sim.result(tostring(ldrun.clock() >= 1800))
            phase.start('dark-mode')
            phase.wait('dark-mode', 'Staging', {timeout = '2h'})
            sim.result(tostring(ldrun.clock() >= 1800))
            """, dialect: dialect, phaseDuration: .seconds(1800))
        #expect(report.outcome.exitCode == 0, "\(report.outcome)")
        #expect(results == (dialect == .spec ? ["true", "true"] : ["false", "true"]))
    }

    @Test func theRunTimeLimitIsOnTheSameClock() async throws {
        let harness = try await HostHarness.start(clock: VirtualClock())
        defer { Task { await harness.stop() } }
        let report = await harness.run("sleep('2h') sim.result('woke')") { $0.timeout = .seconds(3600) }
        #expect(report.outcome.exitCode == 130, "\(report.outcome)")
        #expect(harness.results.values.isEmpty)
    }
}
