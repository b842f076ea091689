import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Protocol checks")
struct ProtocolCheckTests {
    @Test("a missing or wrong token is a 401", arguments: ["", "wrong-token", "Bearer wrong-token"])
    func unauthorized(token: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines", token: token)
            #expect(response.status == 401)
            #expect(response.errorCode == "unauthorized")
            let admin = try await sim.send(.GET, "/_sim/requests", token: token)
            #expect(admin.status == 401)
        }
    }

    @Test("the token may be sent bare or as a bearer token")
    func bearerToken() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(
                .GET, "/api/v2/projects/demo/release-pipelines", token: "Bearer sim-demo-token")
            #expect(response.status == 200)
        }
    }

    @Test(
        "a beta route without LD-API-Version: beta is a 403",
        arguments: [
            "/api/v2/projects/demo/release-pipelines", "/api/v2/projects/demo/release-pipelines/standard",
            "/api/v2/flags/demo/dark-mode/release",
        ]
    )
    func betaHeaderRequired(path: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.GET, path, beta: false)
            #expect(response.status == 403)
            #expect(response.errorCode == "forbidden")
            #expect(response.message.contains("LD-API-Version"))
        }
    }

    @Test("flag get is not a beta route")
    func flagGetNeedsNoBeta() async throws {
        try await SimulatorHarness.run { sim async throws in
            #expect(try await sim.send(.GET, "/api/v2/flags/demo/dark-mode", beta: false).status == 200)
        }
    }

    @Test(
        "unknown routes and methods are a 404 with an error body",
        arguments: [
            ("GET", "/api/v2/nothing-here"), ("POST", "/api/v2/flags/demo/dark-mode/release"), ("GET", "/"),
        ])
    func unknownRoute(method: String, path: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.init(rawValue: method), path)
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
        }
    }

    @Test(
        "malformed bodies are a 400 invalid_request naming the field",
        arguments: [
            (body: "{not json", message: "body is not valid JSON"),
            (body: "{}", message: "releasePipelineKey: required field missing"),
            (body: "{\"releasePipelineKey\": 7}", message: "releasePipelineKey: expected a string"),
            (
                body: "{\"releasePipelineKey\": \"standard\", \"releaseVariationId\": false}",
                message: "releaseVariationId: expected a string"
            ),
            (body: "[]", message: "body: expected an object"),
        ]
    )
    func malformedCreateBody(body: String, message: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.PUT, "/api/v2/projects/demo/flags/dark-mode/release", body: body)
            #expect(response.status == 400)
            #expect(response.errorCode == "invalid_request")
            #expect(response.message == message)
        }
    }

    @Test("a missing body is a 400")
    func missingBody() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.send(.PUT, "/api/v2/projects/demo/flags/dark-mode/release")
            #expect(response.status == 400)
            #expect(response.message.contains("body"))
        }
    }

    @Test("nested schema violations name the nested field")
    func nestedFieldNamed() async throws {
        try await SimulatorHarness.run { sim async throws in
            let body = """
                {"key": "p", "name": "P", "phases": [{"name": "One", "audiences": [{"name": "A"}]}]}
                """
            let response = try await sim.send(.POST, "/api/v2/projects/demo/release-pipelines", body: body)
            #expect(response.status == 400)
            #expect(response.message == "phases[0].audiences[0].environmentKey: required field missing")
        }
    }
}
