import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

@Suite(.timeLimit(.minutes(1))) struct ConcurrencyTests {
    @Test func twoHundredFlagsPromotedInParallelStartEveryPhaseExactlyOnce() async throws {
        let harness = try await HostHarness.start(
            seed: try seedWithFlags(200), rateLimit: SimulatorRateLimit(requests: 100_000))
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local flags = {}
            for i = 1, 200 do flags[i] = "flag-" .. i end
            local results, errors = parallel(flags, function(flag)
              local rel = release.create{flag = flag, pipeline = "fast-track"}
              while phase.next(rel) do
                local next_phase = phase.next(rel)
                rel = phase.start(rel, next_phase)
                rel = phase.wait(rel, next_phase, {timeout = "30s", every = "10ms"})
              end
              return release.status(rel)
            end, {limit = 50})
            local done = 0
            for i = 1, 200 do
              if results[i] == "complete" then done = done + 1 end
              assert(errors[i] == nil, "flag " .. i .. ": " .. tostring(errors[i]))
            end
            return done
            """
        )
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        let starts = await harness.writes().filter { $0.path.contains("/phases/") && $0.processed }
        #expect(starts.count == 400)
        let perPhase = Dictionary(grouping: starts) { $0.path }.mapValues(\.count)
        #expect(perPhase.count == 400)
        #expect(perPhase.values.allSatisfy { $0 == 1 })
        #expect(harness.recorder.messages(named: "summary").first?.hasPrefix("done: 600 writes") == true)
    }

    @Test func aFailingSpawnedTaskDoesNotStopTheOthers() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local failing = spawn(function() sleep("10ms"); error("task failed on purpose") end)
            local working = spawn(function(a, b) sleep("20ms"); return a + b, "ok" end, 40, 2)
            local sum, word = working:wait()
            assert(sum == 42 and word == "ok")
            local ok, err = pcall(failing.wait, failing)
            assert(not ok and tostring(err):find("task failed on purpose"), tostring(err))
            return sum
            """
        )
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
        #expect(report.unobservedTaskErrors.isEmpty)
    }

    @Test func anUnobservedTaskFailureIsReportedAndFailsTheRun() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            spawn(function() sleep(0.01); error("nobody waits for me") end)
            """
        )
        #expect(report.unobservedTaskErrors.count == 1)
        #expect(report.unobservedTaskErrors.first?.contains("nobody waits for me") == true)
        #expect(report.failureMessage?.contains("nobody waits for me") == true)
    }

    @Test func tasksWaitingOnEachOtherAreReportedAsDeadlocked() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(
            """
            local other
            local first = spawn(function() sleep(0.001); return other:wait() end)
            other = spawn(function() return first:wait() end)
            local ok, err = pcall(first.wait, first)
            assert(not ok and err.code == "deadlock", tostring(err))
            """
        )
        #expect(report.succeeded, "\(report.failureMessage ?? "")")
    }

    @Test func cancellingARunInterruptsWaitingTasksSoCleanupRuns() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID()).jsonl").path
        var configuration = harness.configuration
        configuration.journalPath = journal
        let host = RunbookHost(configuration: configuration)
        Task {
            try await Task.sleep(for: .milliseconds(100))
            host.cancel(reason: "operator pressed Ctrl-C")
        }
        let started = ContinuousClock.now
        let report = await host.run(
            source: """
                local cleaned = false
                do
                  local guard <close> = setmetatable({}, {__close = function() log.info("cleanup ran") end})
                  wait_until(function() return false end, {timeout = "1m", every = "20ms"})
                end
                """,
            name: "test.lua")
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interrupted run, got \(report.outcome)")
            return
        }
        #expect(report.outcome.exitCode == 130)
        #expect(harness.recorder.messages(named: "log").contains("cleanup ran"))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.last?.contains(#""outcome":"interrupted""#) == true)
    }

    @Test func cpuBoundRunbooksAreInterruptedToo() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        Task.detached {
            try await Task.sleep(for: .milliseconds(100))
            host.cancel()
        }
        let report = await host.run(source: "while true do end", name: "spin.lua")
        #expect(report.outcome.exitCode == 130)
    }
}
