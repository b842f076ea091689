import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Release progressions of a pipeline")
struct ProgressionTests {
    @Test("counts per phase, active and completed counts, pagination and filters")
    func progressions() async throws {
        let configuration = SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .spec)
        try await SimulatorHarness.run(configuration) { sim async throws in
            let phases = SimulatorHarness.standardPhases
            for flag in ["dark-mode", "search-v2", "recommendations", "new-checkout"] {
                #expect(try await sim.createRelease(flag).status == 200)
            }
            _ = try await sim.createRelease("fast-shipping", pipeline: "fast-track")
            for phase in phases {
                _ = try await sim.startPhase("dark-mode", phase)
                try await sim.server.complete(project: "demo", flag: "dark-mode")
            }
            _ = try await sim.startPhase("search-v2", phases[0])
            try await sim.server.complete(project: "demo", flag: "search-v2")
            _ = try await sim.startPhase("recommendations", phases[0])

            let path = "/api/v2/projects/demo/release-pipelines/standard/releases"
            let all = try await sim.send(.GET, path)
            #expect(all.status == 200)
            #expect(all.json["totalCount"]?.int == 4)
            #expect(all.json["activeCount"]?.int == 3)
            #expect(all.json["completedCount"]?.int == 1)
            #expect(all.json["phases"]?.array.compactMap { $0["releaseCount"]?.int } == [2, 1, 0])
            #expect(all.json["phases"]?.array.compactMap { $0["_id"]?.string } == phases)
            let items = all.json["items"]?.array ?? []
            #expect(
                Set(items.compactMap { $0["flagKey"]?.string }) == [
                    "dark-mode", "search-v2", "recommendations", "new-checkout",
                ])
            let done = items.first { $0["flagKey"]?.string == "dark-mode" }
            #expect(done?["_completedAt"]?.int != nil)
            #expect(done?["activePhaseId"] == nil)

            let completed = try await sim.send(.GET, path + "?filter=status:completed")
            #expect(completed.json["items"]?.array.compactMap { $0["flagKey"]?.string } == ["dark-mode"])
            #expect(completed.json["totalCount"]?.int == 1)
            let active = try await sim.send(.GET, path + "?filter=status:active")
            #expect(active.json["totalCount"]?.int == 3)
            let inTesting = try await sim.send(.GET, path + "?filter=status:active,activePhaseId:\(phases[0])")
            #expect(
                Set(inTesting.json["items"]?.array.compactMap { $0["flagKey"]?.string } ?? []) == [
                    "recommendations", "new-checkout",
                ])
            #expect(inTesting.json["items"]?.array.allSatisfy { $0["activePhaseId"]?.string == phases[0] } == true)

            let firstPage = try await sim.send(.GET, path + "?limit=3")
            let secondPage = try await sim.send(.GET, path + "?limit=3&offset=3")
            let pages = (firstPage.json["items"]?.array ?? []) + (secondPage.json["items"]?.array ?? [])
            #expect(firstPage.json["items"]?.array.count == 3)
            #expect(pages.compactMap { $0["flagKey"]?.string } == items.compactMap { $0["flagKey"]?.string })
            #expect(secondPage.json["totalCount"]?.int == 4)
        }
    }

    @Test("errors: unknown pipeline 404, bad filter 400")
    func errors() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/nope/releases").status == 404)
            let bad = try await sim.send(
                .GET, "/api/v2/projects/demo/release-pipelines/standard/releases?filter=status:done")
            #expect(bad.status == 400)
            #expect(bad.message.contains("status"))
        }
    }
}
