import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Release pipeline endpoints")
struct PipelineEndpointTests {
    static let newPipeline = """
        {"key": "canary", "name": "Canary", "description": "One step", "tags": ["t"],
         "phases": [{"name": "Everyone", "audiences": [{"name": "Prod", "environmentKey": "production",
           "configuration": {"releaseStrategy": "immediate", "requireApproval": false}}]}]}
        """

    @Test("list returns the seed's pipelines with totalCount, the default flagged")
    func list() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines")
            #expect(response.status == 200)
            #expect(response.json["totalCount"]?.int == 2)
            let items = response.json["items"]?.array ?? []
            #expect(items.compactMap { $0["key"]?.string } == ["standard", "fast-track"])
            #expect(items.compactMap { $0["isProjectDefault"]?.bool } == [true, false])
            #expect(items[0]["phases"]?[1]?["id"]?.string == SimulatorHarness.standardPhases[1])
        }
    }

    @Test(
        "list paginates and filters",
        arguments: [
            (query: "?limit=1", keys: ["standard"], total: 2),
            (query: "?limit=1&offset=1", keys: ["fast-track"], total: 2),
            (query: "?offset=5", keys: [], total: 2),
            (query: "?filter=query:FAST", keys: ["fast-track"], total: 1),
            (query: "?filter=query:guarded", keys: ["standard"], total: 1),
            (query: "?filter=env:staging", keys: ["standard"], total: 1),
            (query: "?filter=env:production", keys: ["standard", "fast-track"], total: 2),
            (query: "?filter=query:release,env:test", keys: ["standard"], total: 1),
            (query: "?filter=env:nowhere", keys: [], total: 0),
            (query: "?filter=query%3AFast%20track", keys: ["fast-track"], total: 1),
        ] as [(query: String, keys: [String], total: Int)]
    )
    func listPageAndFilter(query: String, keys: [String], total: Int) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines\(query)")
            #expect(response.status == 200)
            #expect(response.json["items"]?.array.compactMap { $0["key"]?.string } == keys)
            #expect(response.json["totalCount"]?.int == total)
        }
    }

    @Test(
        "bad list parameters are a 400 naming them", arguments: ["limit=0", "limit=x", "offset=-1", "filter=color:red"])
    func badListParameters(query: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines?\(query)")
            #expect(response.status == 400)
            #expect(response.message.hasPrefix(String(query.prefix { $0 != "=" })))
        }
    }

    @Test("get returns one pipeline, 404 for unknown ones and unknown projects")
    func get() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/fast-track")
            #expect(response.status == 200)
            #expect(response.json["name"]?.string == "Fast track")
            #expect(response.json["_isLegacy"]?.bool == false)
            #expect(try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/nope").status == 404)
            #expect(try await sim.send(.GET, "/api/v2/projects/nope/release-pipelines").status == 404)
        }
    }

    @Test("create answers 201; a duplicate key is a 409; unknown environments are a 400")
    func create() async throws {
        try await SimulatorHarness.run { sim async throws in
            let created = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: Self.newPipeline)
            #expect(created.status == 201)
            #expect(created.json["key"]?.string == "canary")
            #expect(created.json["isProjectDefault"]?.bool == false)
            #expect(created.json["phases"]?[0]?["id"]?.string?.count == 24)
            let again = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: Self.newPipeline)
            #expect(again.status == 409)
            let badEnvironment = Self.newPipeline.replacingOccurrences(of: "\"production\"", with: "\"mars\"")
                .replacingOccurrences(of: "canary", with: "other")
            let rejected = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: badEnvironment)
            #expect(rejected.status == 400)
            #expect(rejected.message.contains("phases[0].audiences[0].environmentKey"))
            #expect(try await sim.createRelease("dark-mode", pipeline: "canary").status == 200)
        }
    }

    @Test("a project holds at most 20 pipelines")
    func atMostTwenty() async throws {
        try await SimulatorHarness.run { sim async throws in
            for number in 3...20 {
                let body = Self.newPipeline.replacingOccurrences(of: "canary", with: "p\(number)")
                #expect(try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: body).status == 201)
            }
            let body = Self.newPipeline.replacingOccurrences(of: "canary", with: "p21")
            let response = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: body)
            #expect(response.status == 400)
            #expect(response.message.contains("at most 20"))
        }
    }

    @Test("replace keeps the key and phase ids by position and bumps the version")
    func replace() async throws {
        try await SimulatorHarness.run { sim async throws in
            let body = """
                {"name": "Renamed", "phases": [{"name": "Only", "audiences": [{"name": "T", "environmentKey": "test"}]},
                 {"name": "Then", "audiences": [{"name": "P", "environmentKey": "production"}]}]}
                """
            let response = try await sim.send(.PUT, "/api/v2/projects/demo/release-pipelines/fast-track", body: body)
            #expect(response.status == 200)
            #expect(response.json["name"]?.string == "Renamed")
            #expect(response.json["_version"]?.int == 2)
            #expect(response.json["phases"]?[0]?["id"]?.string == "65a1f0c2e4b0a1b2c3d40011")
            #expect(try await sim.send(.PUT, "/api/v2/projects/demo/release-pipelines/nope", body: body).status == 404)
            let invalid = try await sim.send(
                .PUT, "/api/v2/projects/demo/release-pipelines/fast-track", body: "{\"name\": \"x\"}")
            #expect(invalid.status == 400)
            #expect(invalid.message == "phases: required field missing")
        }
    }

    @Test("delete answers 204; the default pipeline cannot be deleted")
    func delete() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.send(.DELETE, "/api/v2/projects/demo/release-pipelines/fast-track").status == 204)
            #expect(try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines/fast-track").status == 404)
            let refused = try await sim.send(.DELETE, "/api/v2/projects/demo/release-pipelines/standard")
            #expect(refused.status == 403)
            #expect(refused.message.contains("default"))
            #expect(try await sim.send(.DELETE, "/api/v2/projects/demo/release-pipelines/nope").status == 404)
        }
    }

    @Test("the first pipeline created in an empty project becomes its default")
    func firstPipelineIsDefault() async throws {
        let seed = try SimulatorSeed(
            json: Data(#"{"projects": [{"key": "demo", "environments": [{"key": "production"}]}]}"#.utf8)
        )
        try await SimulatorHarness.run(SimulatorConfiguration(seed: seed)) { sim async throws in
            let empty = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines")
            #expect(empty.json["totalCount"]?.int == 0)
            let created = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: Self.newPipeline)
            #expect(created.json["isProjectDefault"]?.bool == true)
        }
    }
}
