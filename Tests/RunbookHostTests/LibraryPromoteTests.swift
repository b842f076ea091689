import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

/// `ldrun.promote` against the simulator's demo pipeline `standard`:
/// Testing → Staging (guarded) → Production (approval required).
@Suite("ldrun.promote")
struct LibraryPromoteTests {
    /// Lua: an `on_event` handler that approves, through the simulator, a phase that needs it.
    static let approver = """
        local promote = require "ldrun.promote"
        local function approve(event, info)
          if event == "waiting" and promote.requires_approval(info.phase) then
            sim.approve(info.flag, info.phase._id)
          end
        end

        """

    @Test(
        "from scratch: creates the release, starts every phase with its audiences, waits, gates production",
        arguments: SimulatorDialect.allCases)
    func fromScratch(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                Self.approver + """
                    local result = promote.run{
                      flag = "new-checkout", pipeline = "Standard release", variation = "old checkout",
                      gate = "confirm", every = "50ms", on_event = approve,
                    }
                    test.capture(json.encode{ status = result.status, created = result.created, started = result.started })
                    """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["status"]?.stringValue == "complete")
            #expect(result["created"]?.boolValue == true)
            #expect(result["started"]?.arrayValue?.compactMap(\.stringValue) == ["Testing", "Staging", "Production"])

            let release = try #require(try await sim.release("new-checkout"))
            // A real account never completes the last phase: it stays active, rolled out.
            let last = dialect == .spec ? "complete" : "rolled_out"
            #expect(try await sim.phaseStates("new-checkout") == ["complete", "complete", last])
            #expect(release.releaseVariationId == "65a1f0c2e4b0a1b2c3d4v002")

            let starts = await sim.acceptedStarts("new-checkout")
            #expect(starts.count == 3)
            let staging = try #require(starts.first { $0.path.hasSuffix("65a1f0c2e4b0a1b2c3d40002") })
            #expect(staging.body?.contains("\"rolloutWeight\":50") == true, "\(staging.body ?? "")")
            let production = try #require(starts.last)
            #expect(production.body?.contains("release-managers") == true, "\(production.body ?? "")")

            // The gate asked once, before Production only.
            let questions = run.events.filter { $0.name == "confirm" }
            #expect(questions.count == 1)
            #expect(questions.first?.message.contains("Production") == true)
        }
    }

    @Test("running it again on a complete release changes nothing", arguments: SimulatorDialect.allCases)
    func completeReleaseIsLeftAlone(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let source =
                Self.approver + """
                    local result = promote.run{ flag = "dark-mode", every = "50ms", on_event = approve }
                    test.capture(json.encode{ created = result.created, started = #result.started })
                    """
            let first = try await sim.run(source)
            #expect(first.succeeded, "\(first.failure)\n\(first.transcript)")
            await sim.server.clearRequestLog()

            let second = try await sim.run(source)
            #expect(second.succeeded, "\(second.failure)\n\(second.transcript)")
            let result = try second.capturedJSON()
            #expect(result["created"]?.boolValue == false)
            #expect(result["started"]?.intValue == 0)
            let writes = await sim.server.requestLog().filter { $0.method != "GET" }
            #expect(writes.isEmpty, "\(writes.map { "\($0.method) \($0.path)" })")
        }
    }

    @Test(
        "interrupted after starting Staging, a second run continues with Production only",
        arguments: SimulatorDialect.allCases)
    func resumesAfterInterruptionBetweenPhases(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let first = try await sim.run(
                """
                local promote = require "ldrun.promote"
                promote.run{
                  flag = "search-v2", every = "50ms",
                  on_event = function(event, info)
                    if event == "started" and info.phase._name == "Staging" then test.interrupt() end
                  end,
                }
                """)
            #expect(first.exitCode == 130, "\(first.failure)\n\(first.transcript)")
            let halfway = try await sim.phaseStatuses("search-v2")
            #expect(halfway[0] == "Complete")
            #expect(halfway[1] == "Started" || halfway[1] == "Complete")
            #expect(halfway[2] == "NotStarted" || halfway[2] == "ReadyToStart")

            let second = try await sim.run(
                Self.approver + """
                    local result = promote.run{ flag = "search-v2", every = "50ms", on_event = approve }
                    test.capture(json.encode{ status = result.status, created = result.created, started = result.started })
                    """)
            #expect(second.succeeded, "\(second.failure)\n\(second.transcript)")
            let result = try second.capturedJSON()
            #expect(result["status"]?.stringValue == "complete")
            #expect(result["created"]?.boolValue == false)
            #expect(result["started"]?.arrayValue?.compactMap(\.stringValue) == ["Production"])
            #expect(await sim.acceptedStarts("search-v2").count == 3)
            #expect(await sim.requests(.releaseCreate, flag: "search-v2").count == 1)
            #expect(second.events.contains { $0.message.contains("resuming release") })
        }
    }

    @Test(
        "interrupted while Production waits for its approval, a second run waits for it without starting it again",
        arguments: SimulatorDialect.allCases)
    func resumesAfterInterruptionDuringAWait(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let first = try await sim.run(
                """
                local promote = require "ldrun.promote"
                promote.run{
                  flag = "recommendations", every = "50ms",
                  on_event = function(event, info)
                    if event == "waiting" and info.phase._name == "Production" then test.interrupt() end
                  end,
                }
                """)
            #expect(first.exitCode == 130, "\(first.failure)\n\(first.transcript)")
            #expect(try await sim.phaseStatuses("recommendations") == ["Complete", "Complete", "Started"])

            let second = try await sim.run(
                Self.approver + """
                    local result = promote.run{ flag = "recommendations", every = "50ms", on_event = approve }
                    test.capture(json.encode{ status = result.status, started = #result.started })
                    """)
            #expect(second.succeeded, "\(second.failure)\n\(second.transcript)")
            let result = try second.capturedJSON()
            #expect(result["status"]?.stringValue == "complete")
            #expect(result["started"]?.intValue == 0)
            #expect(await sim.acceptedStarts("recommendations").count == 3)
        }
    }

    @Test(
        "a regression stops the run with a paused error naming the phase, now and on the next run",
        arguments: SimulatorDialect.allCases)
    func stopsOnPause(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(30), dialect: dialect) { sim in
            let source = """
                local promote = require "ldrun.promote"
                local ok, err = pcall(promote.run, {
                  flag = "search-v2", every = "50ms",
                  on_event = function(event, info)
                    if event == "waiting" and info.phase._name == "Testing" then sim.complete(info.flag, info.phase._id) end
                    if event == "started" and info.phase._name == "Staging" then sim.regress(info.flag, info.phase._id) end
                  end,
                })
                test.capture(json.encode{ ok = ok, code = err.code, flag = err.flag, phase = err.phase, text = tostring(err) })
                """
            let first = try await sim.run(source)
            #expect(first.succeeded, "\(first.failure)\n\(first.transcript)")
            let error = try first.capturedJSON()
            #expect(error["ok"]?.boolValue == false)
            #expect(error["code"]?.stringValue == "paused")
            #expect(error["flag"]?.stringValue == "search-v2")
            #expect(error["phase"]?.stringValue == "Staging")
            #expect(error["text"]?.stringValue?.contains("regressed") == true)
            #expect(try await sim.phaseStatuses("search-v2") == ["Complete", "Paused", "NotStarted"])

            await sim.server.clearRequestLog()
            let second = try await sim.run(source)
            #expect(try second.capturedJSON()["code"]?.stringValue == "paused")
            let writes = await sim.server.requestLog().filter { $0.method != "GET" }
            #expect(writes.isEmpty)
        }
    }

    @Test("an uncaught paused error fails the run with exit status 1 and a readable message")
    func uncaughtPauseFailsTheRun() async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(30)) { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                promote.run{
                  flag = "dark-mode", every = "50ms",
                  on_event = function(event, info)
                    if event == "waiting" and info.phase._name == "Testing" then sim.complete(info.flag, info.phase._id) end
                    if event == "started" and info.phase._name == "Staging" then sim.regress(info.flag, info.phase._id) end
                  end,
                }
                """)
            #expect(run.exitCode == 1)
            #expect(run.errorCode == "paused")
            #expect(run.failure.contains("dark-mode"), "\(run.failure)")
            #expect(run.failure.contains("Staging"), "\(run.failure)")
        }
    }

    // The spec dialect: Testing takes the phase duration to complete.
    @Test("a phase slower than its own timeout stops the run with a timeout error and a hint")
    func perPhaseTimeout() async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(30), dialect: .spec) { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local ok, err = pcall(promote.run, {
                  flag = "dark-mode", every = "50ms", timeout = "1h", timeouts = { testing = "300ms" },
                })
                test.capture(json.encode{ code = err.code, phase = err.phase, message = err.message, hint = err.hint })
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let error = try run.capturedJSON()
            #expect(error["code"]?.stringValue == "timeout")
            #expect(error["phase"]?.stringValue == "Testing")
            #expect(error["message"]?.stringValue == "did not roll out within 300ms")
            #expect(error["hint"]?.stringValue?.contains("run this runbook again") == true)
            #expect(try await sim.phaseStatuses("dark-mode") == ["Started", "NotStarted", "NotStarted"])
        }
    }

    @Test("a declined gate stops before production; nothing is started there")
    func declinedGate() async throws {
        try await LibraryHarness.withSimulator { sim in
            var options = LibraryHarness.Options()
            options.confirmation = .ask { _ in false }
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local ok, err = pcall(promote.run, { flag = "fast-shipping", gate = "confirm", every = "50ms" })
                test.capture(json.encode{ code = err.code, phase = err.phase })
                """, options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let error = try run.capturedJSON()
            #expect(error["code"]?.stringValue == "gate_declined")
            #expect(error["phase"]?.stringValue == "Production")
            #expect(try await sim.phaseStates("fast-shipping") == LibraryHarness.upToSecond(.observed))
        }
    }

    @Test("a predicate gate can refuse with a reason")
    func predicateGate() async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local ok, err = pcall(promote.run, {
                  flag = "dark-mode", every = "50ms", gate_phases = { "staging" },
                  gate = function(phase) return false, "change freeze" end,
                })
                test.capture(json.encode{ code = err.code, message = err.message })
                """)
            let error = try run.capturedJSON()
            #expect(error["code"]?.stringValue == "gate_declined")
            #expect(error["message"]?.stringValue?.contains("change freeze") == true)
            #expect(try await sim.phaseStates("dark-mode") == ["rolled_out", "ready", "not_started"])
        }
    }

    @Test("a dry run plans every write and sends none")
    func dryRun() async throws {
        try await LibraryHarness.withSimulator { sim in
            var options = LibraryHarness.Options()
            options.dryRun = true
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local result = promote.run{ flag = "new-checkout", gate = "confirm", every = "50ms" }
                test.capture(json.encode{ status = result.status, started = result.started })
                """, options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["status"]?.stringValue == "complete")
            #expect(result["started"]?.arrayValue?.count == 3)
            #expect(run.events.filter { $0.name == "would" }.count == 4, "\(run.transcript)")
            #expect(try await sim.release("new-checkout") == nil)
            let writes = await sim.server.requestLog().filter { $0.method != "GET" }
            #expect(writes.isEmpty)
        }
    }

    @Test("stops after until_phase; a flag on another pipeline is refused")
    func untilPhaseAndPipelineMismatch() async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local result = promote.run{ flag = "dark-mode", pipeline = "fast-track", variation = false, until_phase = "test" }
                local ok, err = pcall(promote.run, { flag = "dark-mode", pipeline = "standard" })
                test.capture(json.encode{ status = result.status, started = result.started, code = err.code })
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["status"]?.stringValue == "ready")
            #expect(result["started"]?.arrayValue?.compactMap(\.stringValue) == ["Test"])
            #expect(result["code"]?.stringValue == "pipeline_mismatch")
            #expect(try await sim.phaseStates("dark-mode") == ["rolled_out", "ready"])
        }
    }

    @Test("every module names the project when the run has no default project")
    func explicitProject() async throws {
        try await LibraryHarness.withSimulator { sim in
            var options = LibraryHarness.Options()
            options.project = nil
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local bulk = require "ldrun.bulk"
                local report = require "ldrun.report"
                local cleanup = require "ldrun.cleanup"
                promote.run{ project = "demo", flag = "dark-mode", pipeline = "fast-track", variation = "Disabled" }
                promote.run{ project = "demo", flag = "search-v2", pipeline = "fast-track", until_phase = "Test" }
                -- A release promoted up to Test stands in Test until the next start (observed dialect).
                local moved = bulk.run{ project = "demo", pipeline = "fast-track", phase = "Test" }
                local data = report.collect("fast-track", { project = "demo" })
                local removed = cleanup.run{ project = "demo", pipeline = "fast-track" }
                test.capture(json.encode{
                  moved = moved.counts.done, completed = data.counts.completed, removed = removed.counts.removed,
                })
                local ok, err = pcall(promote.run, { flag = "new-checkout" })
                test.capture(json.encode{ code = err.code })
                """, options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["moved"]?.intValue == 1)
            #expect(result["completed"]?.intValue == 2)
            #expect(result["removed"]?.intValue == 2)
            #expect(try run.capturedJSON(1)["code"]?.stringValue == "config")
        }
    }

    @Test(
        "bad input gets a clear error",
        arguments: [
            ("promote.run()", "options table expected"),
            ("promote.run{ flag = 3 }", "flag key expected"),
            ("promote.run{ flag = 'new-checkout', pipeline = 'nope' }", "no release pipeline 'nope'"),
            (
                "promote.run{ flag = 'new-checkout', variation = 'purple' }",
                "no variation with id, value or name 'purple'"
            ),
            ("promote.run{ flag = 'no-such-flag' }", "no-such-flag"),
            ("promote.run{ flag = 'new-checkout', gate = 'ask' }", "bad option 'gate' to 'promote.run'"),
        ])
    func badInput(_ call: String, _ expected: String) async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run("local promote = require 'ldrun.promote'\n" + call)
            #expect(run.exitCode == 1)
            #expect(run.failure.contains(expected), "\(run.failure)")
        }
    }
}
