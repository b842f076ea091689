import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("ldrun.cleanup")
struct LibraryCleanupTests {
    /// Lua: two complete releases and one in progress on `fast-track`, one complete on `standard`.
    static let setUp = """
        local promote = require "ldrun.promote"
        local cleanup = require "ldrun.cleanup"
        if not release.get("dark-mode") then
          promote.run{ flag = "dark-mode", pipeline = "fast-track", quiet = true }
          promote.run{ flag = "search-v2", pipeline = "fast-track", quiet = true }
          promote.run{ flag = "recommendations", pipeline = "fast-track", until_phase = "Test", quiet = true }
          promote.run{ flag = "fast-shipping", pipeline = "standard", quiet = true,
            on_event = function(event, info)
              if event == "waiting" and promote.requires_approval(info.phase) then sim.approve(info.flag, info.phase._id) end
            end }
        end

        """

    static let cleanUp = """
        local cleanup = require "ldrun.cleanup"
        local result = cleanup.run{ pipeline = "fast-track", dry_run = DRY }
        local entries = {}
        for i, e in ipairs(result.entries) do entries[i] = { flag = e.flag, action = e.action } end
        test.capture(json.encode{ dry_run = result.dry_run, counts = result.counts, entries = entries })
        test.capture(cleanup.format(result))
        """

    @Test("dry_run = true lists what it would remove and sends nothing")
    func planOnly() async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(Self.setUp + "local DRY = true\n" + Self.cleanUp)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["dry_run"]?.boolValue == true)
            #expect(result["counts"]?["would remove"]?.intValue == 2)
            #expect(run.captured[1].contains("dry run: 2 releases would be removed from 'fast-track'"))
            #expect(await sim.requests(.releaseDelete).isEmpty)
            #expect(try await sim.release("dark-mode") != nil)
        }
    }

    @Test("under --dry-run the removals are planned by the host, not sent")
    func hostDryRun() async throws {
        try await LibraryHarness.withSimulator { sim in
            let setUp = try await sim.run(Self.setUp)
            #expect(setUp.succeeded, "\(setUp.failure)\n\(setUp.transcript)")
            var options = LibraryHarness.Options()
            options.dryRun = true
            let run = try await sim.run(Self.setUp + Self.cleanUp, options)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["dry_run"]?.boolValue == true)
            #expect(result["counts"]?["would remove"]?.intValue == 2)
            #expect(run.events.filter { $0.name == "would" }.count == 2, "\(run.transcript)")
            #expect(await sim.requests(.releaseDelete).isEmpty)
            #expect(try await sim.release("search-v2") != nil)
        }
    }

    @Test(
        "removes only the completed releases of the pipeline; a second run finds nothing to do",
        arguments: SimulatorDialect.allCases)
    func removes(dialect: SimulatorDialect) async throws {
        try await LibraryHarness.withSimulator(dialect: dialect) { sim in
            let run = try await sim.run(Self.setUp + "local DRY = nil\n" + Self.cleanUp)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["counts"]?["removed"]?.intValue == 2)
            let flags = result["entries"]?.arrayValue?.compactMap { $0["flag"]?.stringValue }
            #expect(flags == ["dark-mode", "search-v2"])
            #expect(try await sim.release("dark-mode") == nil)
            #expect(try await sim.release("search-v2") == nil)
            #expect(try await sim.release("recommendations") != nil)  // still in progress
            #expect(try await sim.release("fast-shipping") != nil)  // another pipeline
            #expect(await sim.requests(.releaseDelete).count == 2)

            let again = try await sim.run("local DRY = nil\n" + Self.cleanUp)
            #expect(again.captured[1] == "no completed releases on 'fast-track'")
        }
    }

    @Test("keeps the flags on the keep list and releases completed too recently")
    func keepAndAge() async throws {
        try await LibraryHarness.withSimulator { sim in
            let run = try await sim.run(
                Self.setUp + """
                    local kept = cleanup.run{ pipeline = "fast-track", keep = { "dark-mode" } }
                    local young = cleanup.run{ pipeline = "fast-track", older_than = "7d" }
                    test.capture(json.encode{ kept = kept.counts, young = young.counts })
                    """)
            #expect(run.succeeded, "\(run.failure)\n\(run.transcript)")
            let result = try run.capturedJSON()
            #expect(result["kept"]?["removed"]?.intValue == 1)
            #expect(result["kept"]?["kept"]?.intValue == 1)
            #expect(result["young"]?["removed"]?.intValue == 0)
            #expect(result["young"]?["kept"]?.intValue == 1)
            #expect(try await sim.release("dark-mode") != nil)
        }
    }
}
