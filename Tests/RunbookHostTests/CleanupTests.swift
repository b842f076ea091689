import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import Testing

@testable import RunbookHost

/// `<close>` cleanup runs where it can still call the API, and never hides the error that
/// ended the task.
@Suite struct CleanupTests {
    /// After an uncaught error, in the main chunk and in a spawned task, a `<close>` handler
    /// reads a release and starts a phase; the run fails with the original error.
    @Test(arguments: [SimulatorDialect.observed, .spec])
    func cleanupAfterAnUncaughtErrorCallsTheAPI(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: dialect)
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local function rollback(flag)
              return setmetatable({}, {__close = function(_, err)
                local rel = release.get(flag)
                phase.start(rel, "Testing")
                sim.result(flag .. " cleaned up after: " .. tostring(err))
              end})
            end
            local task = spawn(function()
              local guard <close> = rollback("search-v2")
              release.create{flag = "search-v2", pipeline = "standard"}
              error("task problem")
            end)
            pcall(task.wait, task)
            release.create{flag = "dark-mode", pipeline = "standard"}
            local guard <close> = rollback("dark-mode")
            error("the real problem")
            """)
        #expect(report.failureMessage == "test.lua:16: the real problem")
        #expect(
            harness.results.values == [
                "search-v2 cleaned up after: test.lua:11: task problem",
                "dark-mode cleaned up after: test.lua:16: the real problem",
            ])
        #expect(await harness.phaseStarts(flag: "dark-mode").count == 1)
        #expect(await harness.phaseStarts(flag: "search-v2").count == 1)
    }

    /// Once the run is interrupted, cleanup still runs, but API calls in it raise
    /// `interrupted` at once (the run is stopping; `log` still works), and the run ends
    /// interrupted.
    @Test func cleanupAfterAnInterruptRunsButItsCallsAreInterrupted() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = HostHarness.interruptibleHost(harness.configuration, reason: "operator pressed Ctrl-C")
        harness.register(on: host)
        let report = await host.run(
            source: """
                local guard <close> = setmetatable({}, {__close = function(_, err)
                  local ok, e = pcall(release.get, "dark-mode")
                  log.info("cleanup: " .. tostring(ok) .. " " .. tostring(e and e.code))
                end})
                spawn(function() test.interrupt() end)
                sleep("1h")
                """,
            name: "test.lua")
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        #expect(harness.recorder.messages(named: "log") == ["cleanup: false interrupted"])
    }
}
