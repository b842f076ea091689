import Foundation
import LuaBridge
import ReleaseSimulator
import RunbookHost
import Testing

@Suite("pipeline.* and flag.get") struct APIPipelineTests {
    @Test func listReturnsEveryPipelineAndFilters() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local function keys(list)
              local out = {}
              for i, p in ipairs(list) do out[i] = p.key end
              return table.concat(out, ",")
            end
            capture(keys(pipeline.list()), keys(pipeline.list{query = "fast"}), keys(pipeline.list{project = "demo"}),
              #pipeline.list{query = "nothing-matches"}, keys(pipeline.list{env = "staging"}))
            """)
        expectSucceeded(result.report)
        #expect(result.values == ["standard,fast-track", "fast-track", "standard,fast-track", 0, "standard"])
        let queries = await harness.simulator.requestLog().compactMap(\.query)
        #expect(queries.contains { $0.contains("filter=query:fast") })
    }

    @Test func listFetchesEveryPage() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate("capture(#pipeline.list())") { $0.client.pageSize = 1 }
        expectSucceeded(result.report)
        #expect(result.value == 2)
        #expect(await harness.simulator.requestLog().count == 2)
    }

    @Test func getReturnsThePipelineInPositionalAndTableForm() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local standard = pipeline.get("standard")
            local fast = pipeline.get{key = "fast-track", project = "demo"}
            capture(standard.key, standard.name, #standard.phases, standard.phases[3].name,
              standard.phases[3].audiences[1].configuration.requireApproval, fast.key)
            local ok, err = pcall(pipeline.get, "nope")
            capture(err.code, err.status, err.operation)
            """)
        expectSucceeded(result.report)
        #expect(result.captured.first == ["standard", "Standard release", 3, "Production", true, "fast-track"])
        #expect(result.captured.last == ["not_found", 404, "pipeline.get demo/nope"])
    }

    @Test func releasesListsProgressAndFiltersByStatusAndPhase() async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60))
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            -- new-checkout: in Testing; dark-mode: in Staging; search-v2: complete.
            phase.start(release.create("new-checkout", "standard"))
            phase.start(release.create("dark-mode", "standard"))
            sim.complete("dark-mode")
            phase.start("dark-mode", "Staging")
            release.create("search-v2", "standard")
            for _, name in ipairs{"Testing", "Staging", "Production"} do
              phase.start("search-v2", name)
              if name == "Production" then sim.approve("search-v2") end
              sim.complete("search-v2")
            end
            local function flags(list)
              local out = {}
              for i, item in ipairs(list.items) do out[i] = item.flagKey end
              table.sort(out)
              return table.concat(out, ",")
            end
            local all = pipeline.releases("standard")
            capture(flags(all), all.totalCount, math.type(all.totalCount), #all.phases)
            capture(flags(pipeline.releases("standard", {status = "active"})),
              flags(pipeline.releases("standard", {status = "completed"})),
              flags(pipeline.releases("standard", {phase = "staging"})),
              flags(pipeline.releases{key = "standard", phase = "65a1f0c2e4b0a1b2c3d40001"}),
              flags(pipeline.releases("fast-track")))
            local ok, err = pcall(pipeline.releases, "standard", {phase = "Nope"})
            capture(err.code, err.message)
            """)
        expectSucceeded(result.report)
        #expect(result.captured.count == 3)
        #expect(result.captured[0] == ["dark-mode,new-checkout,search-v2", 3, "integer", 3])
        #expect(result.captured[1] == ["dark-mode,new-checkout", "search-v2", "dark-mode", "new-checkout", ""])
        #expect(result.captured[2] == ["not_found", "pipeline standard has no phase 'Nope'"])
        let queries = await harness.simulator.requestLog().compactMap(\.query)
        #expect(queries.contains { $0.contains("filter=activePhaseId:65a1f0c2e4b0a1b2c3d40002") })
        #expect(queries.contains { $0.contains("filter=status:completed") })
    }

    @Test func releasesFetchesEveryPage() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            for _, flag in ipairs{"new-checkout", "dark-mode", "search-v2"} do release.create(flag, "standard") end
            local list = pipeline.releases("standard")
            capture(#list.items, list.totalCount)
            """
        ) { $0.client.pageSize = 2 }
        expectSucceeded(result.report)
        #expect(result.values == [3, 3])
        let pages = await harness.simulator.requestLog().filter { $0.path.hasSuffix("/releases") }
        #expect(pages.count == 2)
    }

    @Test func flagGetReturnsTheFlagWithItsVariations() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local f = flag.get("new-checkout")
            local on
            for _, v in ipairs(f.variations) do if v.value == true then on = v end end
            capture(f.key, f.name, on._id, on.name, flag.get{key = "dark-mode", project = "demo"}.key)
            local ok, err = pcall(flag.get, "no-such-flag")
            capture(err.code, err.status, err.operation)
            """)
        expectSucceeded(result.report)
        #expect(
            result.captured.first == [
                "new-checkout", "New checkout", "65a1f0c2e4b0a1b2c3d4v001", "New checkout", "dark-mode",
            ])
        #expect(result.captured.last == ["not_found", 404, "flag.get demo/no-such-flag"])
    }

    @Test func callsWithoutAProjectRaiseConfigUnlessTheCallNamesOne() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(pipeline.list)
            capture(err.code, err.message, ldrun.project)
            capture(#pipeline.list{project = "demo"}, release.get{flag = "dark-mode", project = "demo"})
            """
        ) { $0.client.defaultProject = nil }
        expectSucceeded(result.report)
        #expect(
            result.captured.first == [
                "config",
                "'pipeline.list' needs a project: pass --project, set LD_PROJECT, or name it in the call ({project = \"...\"})",
                .nil,
            ])
        #expect(result.captured.last == [2, .nil])
    }
}
