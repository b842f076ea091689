import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("ldrun.bulk")
struct LibraryBulkTests {
    /// The phase states of a release promoted up to Staging: the observed dialect leaves
    /// Staging started (rolled out), the spec dialect completes it.
    static func upToStaging(_ dialect: SimulatorDialect) -> [String] {
        ["complete", dialect == .spec ? "complete" : "rolled_out", "ready"]
    }

    @Test(
        "50 flags, one failing: the other 49 finish and the outcome table names the failure",
        arguments: SimulatorDialect.allCases)
    func fiftyFlagsWithOneFailure(dialect: SimulatorDialect) async throws {
        let seed = try LibraryHarness.demoSeed(extraFlags: 50)
        try await LibraryHarness.withSimulator(
            seed: seed, dialect: dialect, faults: "phase-start:flag=bulk-17:status=403"
        ) { sim in
            let run = try await sim.run(
                """
                local bulk = require "ldrun.bulk"
                local flags = {}
                for i = 1, 50 do flags[i] = string.format("bulk-%02d", i) end
                local report = bulk.run{
                  flags = flags, limit = 10,
                  promote = { pipeline = "standard", until_phase = "Staging", every = "50ms" },
                }
                local outcomes = {}
                for i, o in ipairs(report.outcomes) do
                  outcomes[i] = { flag = o.flag, outcome = o.outcome, code = o.code or "", reason = o.reason or "" }
                end
                test.capture(json.encode{ counts = report.counts, total = report.total, outcomes = outcomes })
                test.capture(bulk.format(report))
                local ok, err = pcall(bulk.check, report)
                test.capture(json.encode{ ok = ok, code = err.code })
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let report = try run.capturedJSON(0)
            #expect(report["total"]?.intValue == 50)
            #expect(report["counts"]?["done"]?.intValue == 49)
            #expect(report["counts"]?["failed"]?.intValue == 1)
            #expect(report["counts"]?["paused"]?.intValue == 0)
            #expect(report["counts"]?["pending"]?.intValue == 0)

            let outcomes = try #require(report["outcomes"]?.arrayValue)
            #expect(outcomes.count == 50)
            let failed = outcomes.filter { $0["outcome"]?.stringValue == "failed" }
            #expect(failed.count == 1)
            #expect(failed.first?["flag"]?.stringValue == "bulk-17")
            #expect(failed.first?["reason"]?.stringValue?.isEmpty == false)

            // The table: one row per flag, the failure with its reason, and the summary line.
            let table = run.captured[1]
            #expect(table.split(separator: "\n").count == 50 + 3)
            let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("bulk-17 ") })
            #expect(row.contains("failed"))
            #expect(table.hasSuffix("50 flags: 49 done, 0 paused, 1 failed"))
            #expect(try run.capturedJSON(2)["code"]?.stringValue == "bulk_incomplete")

            // Live progress: one count per finished flag, the last one complete.
            let progress = run.events.filter { $0.message.hasPrefix("bulk: ") && $0.message.contains("finished") }
            #expect(progress.count == 50)
            #expect(progress.last?.message.hasPrefix("bulk: 50/50 finished (49 done, 0 paused, 1 failed)") == true)

            #expect(try await sim.phaseStates("bulk-01") == Self.upToStaging(dialect))
            #expect(try await sim.phaseStates("bulk-50") == Self.upToStaging(dialect))
            #expect(try await sim.phaseStates("bulk-17") == ["ready", "not_started", "not_started"])
        }
    }

    @Test(
        "interrupted part way, a second run finishes the rest without starting anything twice",
        arguments: SimulatorDialect.allCases)
    func resumesAfterInterruption(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let source = """
                local bulk = require "ldrun.bulk"
                local flags = { "dark-mode", "search-v2", "recommendations", "fast-shipping" }
                local ok, err = pcall(bulk.run, {
                  flags = flags, limit = 1, promote = { until_phase = "Staging", every = "50ms" },
                  on_outcome = function(outcome)
                    if INTERRUPT and outcome.flag == "search-v2" then test.interrupt() end
                  end,
                })
                if not ok then error(err, 0) end
                test.capture(json.encode(err.counts))
                """
            let first = try await sim.run("INTERRUPT = true\n" + source)
            #expect(first.exitCode == 130, "\(first.failure)\n\(first.transcript)")
            #expect(try await sim.phaseStates("dark-mode") == Self.upToStaging(dialect))
            #expect(try await sim.phaseStates("fast-shipping").isEmpty)

            let second = try await sim.run(source)
            #expect(second.succeeded, "\(second.failure)\n\(second.transcript)")
            #expect(try second.capturedJSON()["done"]?.intValue == 4)
            for flag in ["dark-mode", "search-v2", "recommendations", "fast-shipping"] {
                #expect(try await sim.phaseStates(flag) == Self.upToStaging(dialect))
                #expect(await sim.acceptedStarts(flag).count == 2, "\(flag)")
                #expect(await sim.requests(.releaseCreate, flag: flag).count == 1, "\(flag)")
            }
        }
    }

    @Test("a paused flag is reported as paused, with its phase")
    func pausedFlag() async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(30)) { sim in
            let run = try await sim.run(
                """
                local bulk = require "ldrun.bulk"
                local report = bulk.run{
                  flags = { "dark-mode", "search-v2" },
                  promote = {
                    until_phase = "Staging", every = "50ms",
                    on_event = function(event, info)
                      local regressing = info.flag == "search-v2" and info.phase and info.phase._name == "Staging"
                      if event == "waiting" and not regressing then sim.complete(info.flag, info.phase._id) end
                      if event == "started" and info.flag == "search-v2" and info.phase._name == "Staging" then
                        sim.regress(info.flag, info.phase._id)
                      end
                    end,
                  },
                }
                test.capture(json.encode(report.outcomes[2]))
                test.capture(json.encode(report.counts))
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let outcome = try run.capturedJSON(0)
            #expect(outcome["flag"]?.stringValue == "search-v2")
            #expect(outcome["outcome"]?.stringValue == "paused", "\(outcome)")
            #expect(outcome["phase"]?.stringValue == "Staging")
            #expect(try run.capturedJSON(1)["done"]?.intValue == 1)
        }
    }

    @Test("selects every flag in a phase through the pipeline's progressions", arguments: SimulatorDialect.allCases)
    func flagsInAPhase(dialect: SimulatorDialect) async throws {
        // The phase a release stands in is its progression's active phase: in the observed
        // dialect a release promoted up to Testing stays in Testing until the next start; in
        // the spec dialect Testing completes and the release stands at Staging.
        let standing = dialect == .spec ? "Staging" : "Testing"
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local bulk = require "ldrun.bulk"
                for _, flag in ipairs{ "dark-mode", "search-v2", "recommendations" } do
                  promote.run{ flag = flag, until_phase = "Testing", quiet = true }
                end
                promote.run{ flag = "fast-shipping", until_phase = "Staging", quiet = true }
                local selected = bulk.flags_in_phase("standard", "\(standing.lowercased())")
                table.sort(selected)
                test.capture(table.concat(selected, ","))
                local report = bulk.run{ pipeline = "standard", phase = "\(standing)", promote = { until_phase = "Staging" } }
                test.capture(json.encode(report.counts))
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(run.captured.first == "dark-mode,recommendations,search-v2")
            #expect(try run.capturedJSON(1)["done"]?.intValue == 3)
            for flag in ["dark-mode", "search-v2", "recommendations", "fast-shipping"] {
                #expect(try await sim.phaseStates(flag) == Self.upToStaging(dialect))
            }
        }
    }

    @Test(
        "bad options get a clear error",
        arguments: [
            ("bulk.run{}", "give 'flags', or 'pipeline' and 'phase'"),
            ("bulk.run{ flags = { 'a', 3 } }", "flag key expected at [2]"),
            ("bulk.run{ flags = { 'a' }, limit = 0 }", "positive integer expected"),
            ("bulk.run{ pipeline = 'standard', phase = 'Nope' }", "has no phase 'Nope'"),
        ])
    func badOptions(_ call: String, _ expected: String) async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run("local bulk = require 'ldrun.bulk'\n" + call)
            #expect(run.exitCode == 1)
            #expect(run.failure.contains(expected), "\(run.failure)")
        }
    }
}
