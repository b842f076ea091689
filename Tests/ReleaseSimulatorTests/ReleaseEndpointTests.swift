import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Release endpoints")
struct ReleaseEndpointTests {
    @Test("create copies the pipeline's phases: first ReadyToStart, the rest NotStarted, version 1")
    func createRelease() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.createRelease("dark-mode")
            #expect(response.status == 200)
            let release = response.json
            #expect(release["releasePipelineKey"]?.string == "standard")
            #expect(release["name"]?.string == "Standard release")
            #expect(release["_version"]?.int == 1)
            #expect(release["_releaseVariationId"] == nil)
            let phases = release["phases"]?.array ?? []
            #expect(phases.compactMap { $0["_id"]?.string } == SimulatorHarness.standardPhases)
            #expect(phases.compactMap { $0["_name"]?.string } == ["Testing", "Staging", "Production"])
            #expect(phases.compactMap { $0["status"]?.string } == ["ReadyToStart", "NotStarted", "NotStarted"])
            #expect(phases.allSatisfy { $0["started"]?.bool == false && $0["complete"]?.bool == false })
            #expect(phases[0]["_audiences"]?[0]?["environment"]?["key"]?.string == "test")
        }
    }

    @Test("create records the release variation")
    func createWithVariation() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.createRelease("new-checkout", variation: "65a1f0c2e4b0a1b2c3d4v001")
            #expect(response.status == 200)
            #expect(response.json["_releaseVariationId"]?.string == "65a1f0c2e4b0a1b2c3d4v001")
        }
    }

    @Test(
        "create rejects what cannot be released",
        arguments: [
            (flag: "no-such-flag", pipeline: "standard", variation: nil, status: 404, mention: "no-such-flag"),
            (flag: "dark-mode", pipeline: "no-such-pipeline", variation: nil, status: 404, mention: "no-such-pipeline"),
            (flag: "new-checkout", pipeline: "standard", variation: "nope", status: 400, mention: "releaseVariationId"),
        ] as [(flag: String, pipeline: String, variation: String?, status: Int, mention: String)]
    )
    func createErrors(flag: String, pipeline: String, variation: String?, status: Int, mention: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.createRelease(flag, pipeline: pipeline, variation: variation)
            #expect(response.status == status)
            #expect(response.errorCode == (status == 404 ? "not_found" : "invalid_request"))
            #expect(response.message.contains(mention))
        }
    }

    @Test("creating a second release for a flag is a 400 naming the existing pipeline")
    func createTwice() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.createRelease("dark-mode").status == 200)
            let second = try await sim.createRelease("dark-mode", pipeline: "fast-track")
            #expect(second.status == 400)
            #expect(second.errorCode == "invalid_request")
            #expect(second.message.contains("already has a release"))
        }
    }

    @Test("get returns the release, 404 when the flag has none")
    func getRelease() async throws {
        try await SimulatorHarness.run { sim async throws in
            let missing = try await sim.getRelease("dark-mode")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
            _ = try await sim.createRelease("dark-mode")
            let found = try await sim.getRelease("dark-mode")
            #expect(found.status == 200)
            #expect(found.json["_links"]?["self"]?["href"]?.string == "/api/v2/flags/demo/dark-mode/release")
        }
    }

    @Test("delete answers 204, then get is 404 and the flag can be released again")
    func deleteRelease() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            let deleted = try await sim.send(.DELETE, "/api/v2/flags/demo/dark-mode/release")
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            #expect(try await sim.getRelease("dark-mode").status == 404)
            #expect(try await sim.send(.DELETE, "/api/v2/flags/demo/dark-mode/release").status == 404)
            #expect(try await sim.createRelease("dark-mode", pipeline: "fast-track").status == 200)
        }
    }

    @Test("flag get returns the variations with their ids")
    func getFlag() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/flags/demo/new-checkout", beta: false)
            #expect(response.status == 200)
            let variations = response.json["variations"]?.array ?? []
            #expect(
                variations.compactMap { $0["_id"]?.string } == ["65a1f0c2e4b0a1b2c3d4v001", "65a1f0c2e4b0a1b2c3d4v002"])
            #expect(variations.compactMap { $0["value"]?.bool } == [true, false])
            #expect(variations.compactMap { $0["name"]?.string } == ["New checkout", "Old checkout"])
            #expect(try await sim.send(.GET, "/api/v2/flags/demo/unknown").status == 404)
            #expect(try await sim.send(.GET, "/api/v2/flags/nope/new-checkout").status == 404)
        }
    }
}
