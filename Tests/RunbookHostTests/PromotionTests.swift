import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

@Suite struct PromotionTests {
    static let promote = """
        local flag = args.flag
        local rel = release.get(flag) or release.create{flag = flag, pipeline = "standard"}
        while true do
          local next_phase = phase.next(rel)
          if not next_phase then break end
          rel = phase.start(rel, next_phase)
          if next_phase._name == "Production" then sim.approve(flag) end
          rel = phase.wait(rel, next_phase, {timeout = "10s", every = "20ms"})
        end
        return release.status(rel)
        """

    @Test(arguments: SimulatorDialect.allCases)
    func aFullThreePhasePromotionWithApproval(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(dialect: dialect)
        defer { Task { await harness.stop() } }
        let report = await harness.run(Self.promote) { $0.arguments = ["flag": "new-checkout"] }
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        // Accepted writes: the spec dialect also refuses the first start value once.
        let writes = await harness.writes().filter { $0.status == 200 }
        #expect(writes.map(\.method) == ["PUT", "PUT", "PUT", "PUT"])
        #expect(writes.filter { $0.path.contains("/phases/") }.count == 3)
        #expect(harness.recorder.messages(named: "phase.start").count == 3)
        #expect(harness.recorder.messages(named: "phase.rolled_out").count == 3)
        let summary = harness.recorder.messages(named: "summary")
        #expect(summary.first?.hasPrefix("done: 4 writes") == true)
    }

    @Test func aRegressionFailsTheWaitWithAPausedErrorNamingThePhase() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = release.create{flag = "dark-mode", pipeline = "standard"}
            rel = phase.start(rel)
            sim.complete("dark-mode")
            rel = phase.start(rel, "Staging")
            sim.regress("dark-mode")
            local ok, err = pcall(phase.wait, rel, "Staging", {timeout = "5s", every = "10ms"})
            assert(not ok, "the wait should fail")
            assert(err.code == "paused", "code " .. tostring(err.code))
            assert(err.phase == "Staging", "phase " .. tostring(err.phase))
            assert(release.status(release.get("dark-mode")) == "paused")
            """
        )
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        #expect(harness.recorder.messages(named: "phase.paused").count == 1)
    }

    // The spec dialect: a started phase is not done until it completes.
    @Test func aWaitThatRunsOutOfTimeRaisesTimeout() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: .spec)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = phase.start(release.create{flag = "search-v2", pipeline = "standard"})
            phase.wait(rel, "Testing", {timeout = "200ms", every = "20ms"})
            """
        )
        guard case .failed(let error) = report.outcome else {
            Issue.record("expected the run to fail, got \(report.outcome)")
            return
        }
        #expect(error.code == "timeout")
        #expect(error.message.hasPrefix("test.lua:2:"))
        #expect(error.traceback?.contains("test.lua:2: in main chunk") == true)
    }

    @Test(arguments: SimulatorDialect.allCases)
    func waitingWithoutAPhaseWaitsForThePhaseTheReleaseShowsStarted(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .zero, dialect: dialect)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local rel = phase.start(release.create{flag = "dark-mode", pipeline = "fast-track"})
            rel = phase.wait(rel, nil, {timeout = "2s", every = "10ms"})
            local state = phase.state(rel, "Test")
            assert(state == "complete" or state == "rolled_out", "Test should be rolled out, is " .. state)
            assert(phase.next(rel)._name == "Production")
            """
        )
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
    }
}
