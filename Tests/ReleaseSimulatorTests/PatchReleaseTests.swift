import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Patching legacy releases")
struct PatchReleaseTests {
    static let seed: SimulatorSeed = {
        let json = #"""
            {"projects": [{"key": "demo", "environments": [{"key": "test"}, {"key": "production"}],
              "pipelines": [
                {"key": "modern", "name": "Modern", "phases": [
                  {"name": "One", "audiences": [{"name": "T", "environmentKey": "test"}]}]},
                {"key": "legacy", "name": "Legacy", "isLegacy": true, "phases": [
                  {"name": "One", "audiences": [{"name": "T", "environmentKey": "test"}]},
                  {"name": "Two", "audiences": [{"name": "P", "environmentKey": "production"}]}]}],
              "flags": [{"key": "old"}, {"key": "new"}]}]}
            """#
        return try! SimulatorSeed(json: Data(json.utf8))
    }()

    @Test("replace /phases/N/complete marks a legacy phase complete and incomplete")
    func completeAndUndo() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(seed: Self.seed, dialect: .spec)) { sim async throws in
            #expect(try await sim.createRelease("old", pipeline: "legacy").status == 200)
            let path = "/api/v2/flags/demo/old/release"
            let done = try await sim.send(
                .PATCH, path, body: #"[{"op": "replace", "path": "/phases/0/complete", "value": true}]"#)
            #expect(done.status == 200)
            #expect(done.json["phases"]?.array.compactMap { $0["status"]?.string } == ["Complete", "ReadyToStart"])
            #expect(done.json["phases"]?[0]?["_completionDate"]?.int != nil)
            #expect(done.json["_version"]?.int == 2)
            let undone = try await sim.send(
                .PATCH, path, body: #"[{"op": "replace", "path": "/phase/0/complete", "value": false}]"#)
            #expect(undone.json["phases"]?.array.compactMap { $0["status"]?.string } == ["ReadyToStart", "NotStarted"])
            #expect(undone.json["_version"]?.int == 3)
        }
    }

    @Test(
        "other operations are a 400 and change nothing",
        arguments: [
            #"[{"op": "add", "path": "/phases/0/complete", "value": true}]"#,
            #"[{"op": "replace", "path": "/name", "value": "x"}]"#,
            #"[{"op": "replace", "path": "/phases/9/complete", "value": true}]"#,
            #"[{"op": "replace", "path": "/phases/0/complete", "value": "yes"}]"#,
            #"[{"op": "replace", "path": "/phases/0/complete", "value": true}, {"op": "remove", "path": "/phases"}]"#,
            #"{"op": "replace"}"#,
        ]
    )
    func rejected(body: String) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(seed: Self.seed, dialect: .spec)) { sim async throws in
            _ = try await sim.createRelease("old", pipeline: "legacy")
            let response = try await sim.send(.PATCH, "/api/v2/flags/demo/old/release", body: body)
            #expect(response.status == 400)
            #expect(response.errorCode == "invalid_request")
            #expect(try await sim.getRelease("old").json["_version"]?.int == 1)
        }
    }

    @Test("patching a release on a non-legacy pipeline is a 400")
    func notLegacy() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(seed: Self.seed, dialect: .spec)) { sim async throws in
            _ = try await sim.createRelease("new", pipeline: "modern")
            let response = try await sim.send(
                .PATCH, "/api/v2/flags/demo/new/release",
                body: #"[{"op": "replace", "path": "/phases/0/complete", "value": true}]"#
            )
            #expect(response.status == 400)
            #expect(response.message.contains("not a legacy pipeline"))
            #expect(try await sim.send(.PATCH, "/api/v2/flags/demo/old/release", body: "[]").status == 404)
        }
    }
}
