import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("ldrun.report")
struct LibraryReportTests {
    /// Lua: puts the demo flags in different places of the `standard` pipeline.
    static let spread = """
        local promote = require "ldrun.promote"
        local report = require "ldrun.report"
        local function approve(event, info)
          if event == "waiting" and promote.requires_approval(info.phase) then sim.approve(info.flag, info.phase._id) end
        end
        promote.run{ flag = "new-checkout", quiet = true, on_event = approve }          -- complete
        promote.run{ flag = "dark-mode", until_phase = "Staging", quiet = true }       -- Production ready
        promote.run{ flag = "search-v2", until_phase = "Testing", quiet = true }       -- Staging ready
        release.create{ flag = "recommendations", pipeline = "standard" }              -- Testing, not started
        promote.run{ flag = "fast-shipping", pipeline = "fast-track", quiet = true }   -- another pipeline

        """

    @Test(
        "groups the releases of a pipeline by phase, with their status, as data, JSON and a table",
        arguments: SimulatorDialect.allCases)
    func report(dialect: SimulatorDialect) async throws {
        // Where a release stands is its progression's active phase. In the observed dialect a
        // release promoted up to a phase stays in that phase (rolled out) until the next start;
        // in the spec dialect it has moved on to the next phase, ready to start.
        let observed = dialect == .observed
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(
                Self.spread + """
                    local data = report.collect("standard")
                    test.capture(report.json(data))
                    test.capture(report.format(data))
                    """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let data = try run.capturedJSON(0)
            #expect(data["pipeline"]?["key"]?.stringValue == "standard")
            #expect(data["counts"]?["total"]?.intValue == 4)
            #expect(data["counts"]?["active"]?.intValue == 3)
            #expect(data["counts"]?["completed"]?.intValue == 1)
            #expect(
                data["phases"]?.arrayValue?.compactMap { $0["count"]?.intValue } == (observed ? [2, 1, 0] : [1, 1, 1]))

            let releases = try #require(data["releases"]?.arrayValue)
            let rows = releases.map {
                [$0["flag"]?.stringValue ?? "", $0["phase"]?.stringValue ?? "", $0["status"]?.stringValue ?? ""]
            }
            #expect(
                rows == [
                    ["recommendations", "Testing", "not_started"],
                    ["search-v2", observed ? "Testing" : "Staging", "ready"],
                    ["dark-mode", observed ? "Staging" : "Production", "ready"],
                    ["new-checkout", "Complete", "complete"],
                ])
            #expect(releases[0]["phase_status"]?.stringValue == "ready")
            #expect(releases[1]["phase_status"]?.stringValue == (observed ? "rolled_out" : "ready"))
            #expect(releases.allSatisfy { $0["since"]?.int64Value != nil })

            let table = run.captured[1].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(table[0] == "Pipeline standard (Standard release): 4 releases, 3 active, 1 complete")
            #expect(table[2].hasPrefix("PHASE "))
            #expect(table[4].hasPrefix("Testing") && table[4].contains("recommendations"))
            if observed {
                #expect(table[5].contains("search-v2") && !table[5].hasPrefix("Staging"))
                #expect(table[6].hasPrefix("Staging") && table[6].contains("dark-mode"))
            } else {
                #expect(table[5].hasPrefix("Staging") && table[5].contains("search-v2"))
                #expect(table[6].hasPrefix("Production") && table[6].contains("dark-mode"))
            }
            // Observed: Production holds no release, and its row says so before the completed ones.
            let complete = observed ? 8 : 7
            #expect(table[complete].hasPrefix("Complete") && table[complete].contains("new-checkout"))
            #expect(!run.captured[1].contains("fast-shipping"))
        }
    }

    @Test("an empty pipeline reports every phase with no release, and [] in JSON")
    func emptyPipeline() async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(
                """
                local report = require "ldrun.report"
                local data = report.collect("fast-track")
                test.capture(report.json(data))
                test.capture(report.format(data))
                """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            #expect(try run.capturedJSON(0)["releases"]?.arrayValue?.isEmpty == true)
            let table = run.captured[1]
            #expect(table.contains("0 releases"))
            #expect(table.contains("Test        -") || table.contains("Test  -"), "\(table)")
        }
    }

    @Test("a paused release shows as paused in its phase")
    func pausedRelease() async throws {
        try await LibraryHarness.withSimulator(phaseDuration: .seconds(30)) { sim in
            let run = try await sim.run(
                """
                local promote = require "ldrun.promote"
                local report = require "ldrun.report"
                pcall(promote.run, {
                  flag = "search-v2", every = "50ms", quiet = true,
                  on_event = function(event, info)
                    if event == "waiting" and info.phase._name == "Testing" then sim.complete(info.flag, info.phase._id) end
                    if event == "started" and info.phase._name == "Staging" then sim.regress(info.flag, info.phase._id) end
                  end,
                })
                test.capture(json.encode(report.collect("standard").releases[1]))
                """)
            let entry = try run.capturedJSON()
            #expect(entry["flag"]?.stringValue == "search-v2")
            #expect(entry["phase"]?.stringValue == "Staging")
            #expect(entry["status"]?.stringValue == "paused")
            #expect(entry["phase_status"]?.stringValue == "paused")
        }
    }
}
