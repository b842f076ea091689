import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Seeds")
struct SeedTests {
    @Test("the demo seed serves a project with three environments, two pipelines and five flags")
    func demoSeed() async throws {
        try await SimulatorHarness.run { sim async throws in
            let pipelines = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines").json
            #expect(pipelines["items"]?.array.compactMap { $0["key"]?.string } == ["standard", "fast-track"])
            let standard = pipelines["items"]?[0]
            let phases = standard?["phases"]?.array ?? []
            #expect(phases.compactMap { $0["name"]?.string } == ["Testing", "Staging", "Production"])
            let configurations = phases.map { $0["audiences"]?[0]?["configuration"] }
            #expect(configurations[1]?["releaseGuardianConfiguration"]?["rolloutWeight"]?.int == 50)
            #expect(configurations[2]?["requireApproval"]?.bool == true)
            #expect(
                Set(phases.compactMap { $0["audiences"]?[0]?["environment"]?["key"]?.string })
                    == ["test", "staging", "production"]
            )
            for flag in ["new-checkout", "dark-mode", "search-v2", "recommendations", "fast-shipping"] {
                #expect(try await sim.send(.GET, "/api/v2/flags/demo/\(flag)").status == 200)
            }
        }
    }

    @Test("a seed file is read from disk")
    func seedFile() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).json")
        let json = #"""
            {"projects": [{"key": "web", "name": "Web", "environments": [{"key": "prod", "name": "Prod", "color": "000000"}],
              "pipelines": [{"key": "one", "name": "One", "phases": [
                {"id": "phase-a", "name": "A", "audiences": [{"name": "Prod", "environmentKey": "prod"}]}]}],
              "flags": [{"key": "f", "variations": [{"_id": "on", "value": true}, {"_id": "off", "value": false}]}]}]}
            """#
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let seed = try SimulatorSeed(contentsOf: url)
        try await SimulatorHarness.run(SimulatorConfiguration(seed: seed)) { sim async throws in
            let response = try await sim.send(
                .PUT, "/api/v2/projects/web/flags/f/release",
                body: #"{"releasePipelineKey": "one", "releaseVariationId": "on"}"#
            )
            #expect(response.status == 200)
            #expect(response.json["phases"]?[0]?["_id"]?.string == "phase-a")
            #expect(try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines").status == 404)
        }
    }

    @Test(
        "invalid seeds are rejected with the reason",
        arguments: [
            (#"{"projects": [{"key": "p"}]}"#, "projects[0].environments: required field missing"),
            (
                #"{"projects": [{"key": "p", "environments": []}, {"key": "p", "environments": []}]}"#,
                "duplicate project 'p'"
            ),
            (
                #"{"projects": [{"key": "p", "environments": [], "pipelines": [{"key": "x", "name": "X", "phases": [{"name": "A", "audiences": [{"name": "A", "environmentKey": "prod"}]}]}]}]}"#,
                "unknown environment 'prod'"
            ),
            (
                #"{"projects": [{"key": "p", "environments": [], "flags": [{"key": "f"}, {"key": "f"}]}]}"#,
                "duplicate flag 'f'"
            ),
            ("not json", "not valid JSON"),
        ]
    )
    func invalidSeeds(json: String, reason: String) {
        #expect {
            try SimulatorSeed(json: Data(json.utf8))
        } throws: { error in
            (error as? SimulatorError)?.message.contains(reason) == true
        }
    }

    @Test("a missing seed file is a clear error")
    func missingFile() {
        #expect(throws: SimulatorError.self) {
            try SimulatorSeed(contentsOf: URL(fileURLWithPath: "/nonexistent/seed.json"))
        }
    }

    @Test("reset restores the seed; posting a seed to /_sim/reset replaces the data")
    func resetAndReseed() async throws {
        try await SimulatorHarness.run { sim async throws in
            _ = try await sim.createRelease("dark-mode")
            await sim.server.reset()
            #expect(try await sim.getRelease("dark-mode").status == 404)

            _ = try await sim.createRelease("dark-mode")
            #expect(try await sim.send(.POST, "/_sim/reset").status == 204)
            #expect(try await sim.getRelease("dark-mode").status == 404)

            let seed = #"{"projects": [{"key": "other", "environments": [{"key": "e"}]}]}"#
            #expect(try await sim.send(.POST, "/_sim/reset", body: seed).status == 204)
            #expect(try await sim.send(.GET, "/api/v2/projects/other/release-pipelines").status == 200)
            #expect(try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines").status == 404)
            let invalid = try await sim.send(.POST, "/_sim/reset", body: "{}")
            #expect(invalid.status == 400)
        }
    }
}
