import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

/// One response to check: the operation and status the spec documents, and how to get it.
struct SpecCase: CustomTestStringConvertible, Sendable {
    var operationId: String
    var status: Int
    var method: HTTPMethod
    var path: String
    var body: String? = nil
    var token: String? = nil
    var beta = true

    var testDescription: String { "\(operationId) \(status)" }
}

@Suite("Responses conform to the LaunchDarkly spec")
struct SchemaConformanceTests {
    static let releasePath = "/api/v2/flags/demo/dark-mode/release"
    static let phasePath = "/api/v2/projects/demo/flags/dark-mode/release/phases/65a1f0c2e4b0a1b2c3d40002"
    static let pipelineBody = """
        {"key": "new", "name": "New", "phases": [{"name": "A", "audiences": [{"name": "A", "environmentKey": "test"}]}]}
        """

    static let cases: [SpecCase] = [
        .init(operationId: "getFeatureFlag", status: 200, method: .GET, path: "/api/v2/flags/demo/new-checkout"),
        .init(operationId: "getFeatureFlag", status: 401, method: .GET, path: "/api/v2/flags/demo/x", token: "bad"),
        .init(operationId: "getFeatureFlag", status: 404, method: .GET, path: "/api/v2/flags/demo/unknown"),
        .init(operationId: "getReleaseByFlagKey", status: 200, method: .GET, path: releasePath),
        .init(
            operationId: "getReleaseByFlagKey", status: 404, method: .GET, path: "/api/v2/flags/demo/search-v2/release"),
        .init(operationId: "patchReleaseByFlagKey", status: 400, method: .PATCH, path: releasePath, body: "[]"),
        .init(
            operationId: "patchReleaseByFlagKey", status: 403, method: .PATCH, path: releasePath, body: "[]",
            beta: false),
        .init(
            operationId: "deleteReleaseByFlagKey", status: 404, method: .DELETE, path: "/api/v2/flags/demo/x/release"),
        .init(
            operationId: "createReleaseForFlag", status: 200, method: .PUT,
            path: "/api/v2/projects/demo/flags/search-v2/release", body: #"{"releasePipelineKey": "standard"}"#),
        .init(
            operationId: "createReleaseForFlag", status: 400, method: .PUT,
            path: "/api/v2/projects/demo/flags/search-v2/release", body: "{}"),
        .init(
            operationId: "createReleaseForFlag", status: 404, method: .PUT,
            path: "/api/v2/projects/demo/flags/nope/release", body: #"{"releasePipelineKey": "standard"}"#),
        .init(
            operationId: "updatePhaseStatus", status: 200, method: .PUT, path: phasePath,
            body: #"{"status": "Started"}"#),
        .init(
            operationId: "updatePhaseStatus", status: 400, method: .PUT,
            path: "/api/v2/projects/demo/flags/dark-mode/release/phases/65a1f0c2e4b0a1b2c3d40003",
            body: #"{"status": "Started"}"#),
        .init(
            operationId: "updatePhaseStatus", status: 404, method: .PUT,
            path: "/api/v2/projects/demo/flags/dark-mode/release/phases/x", body: #"{"status": "Started"}"#),
        .init(
            operationId: "getAllReleasePipelines", status: 200, method: .GET,
            path: "/api/v2/projects/demo/release-pipelines"),
        .init(
            operationId: "getAllReleasePipelines", status: 404, method: .GET,
            path: "/api/v2/projects/x/release-pipelines"),
        .init(
            operationId: "postReleasePipeline", status: 201, method: .POST,
            path: "/api/v2/projects/demo/release-pipelines", body: pipelineBody),
        .init(
            operationId: "postReleasePipeline", status: 400, method: .POST,
            path: "/api/v2/projects/demo/release-pipelines", body: "{}"),
        .init(
            operationId: "postReleasePipeline", status: 409, method: .POST,
            path: "/api/v2/projects/demo/release-pipelines",
            body: pipelineBody.replacingOccurrences(of: "\"new\"", with: "\"standard\"")),
        .init(
            operationId: "getReleasePipelineByKey", status: 200, method: .GET,
            path: "/api/v2/projects/demo/release-pipelines/standard"),
        .init(
            operationId: "putReleasePipeline", status: 200, method: .PUT,
            path: "/api/v2/projects/demo/release-pipelines/fast-track", body: pipelineBody),
        .init(
            operationId: "deleteReleasePipeline", status: 403, method: .DELETE,
            path: "/api/v2/projects/demo/release-pipelines/standard"),
        .init(
            operationId: "getAllReleaseProgressionsForReleasePipeline", status: 200, method: .GET,
            path: "/api/v2/projects/demo/release-pipelines/standard/releases"),
    ]

    /// The observed dialect's documented deviations from the spec: its status spellings.
    static let observedStatuses: Set<String> = ["not-started", "ready-to-start", "active", "paused", "completed"]

    /// Violations the dialect is documented to have: none in the spec dialect; observed,
    /// a `status` field spelled the observed way.
    static func undocumented(_ violations: [String], dialect: SimulatorDialect) -> [String] {
        guard dialect == .observed else { return violations }
        return violations.filter { violation in
            let isStatus = violation.contains(".status: ")
            return !(isStatus && observedStatuses.contains { violation.contains("string(\"\($0)\")") })
        }
    }

    @Test(
        "response bodies match the spec's schema (observed: but for its status spellings)",
        arguments: cases, SimulatorDialect.allCases)
    func conforms(_ specCase: SpecCase, dialect: SimulatorDialect) async throws {
        let checker = try SpecSchemaChecker.load()
        let schema = try #require(checker.responseSchema(operationId: specCase.operationId, status: specCase.status))
        let configuration = SimulatorConfiguration(phaseDuration: .seconds(600), dialect: dialect)
        try await SimulatorHarness.run(configuration) { sim async throws in
            // dark-mode: Testing complete, Staging ready to start; new-checkout: fully released.
            _ = try await sim.createRelease("dark-mode", variation: nil)
            _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            try await sim.server.complete(project: "demo", flag: "dark-mode")
            _ = try await sim.createRelease("new-checkout", variation: "65a1f0c2e4b0a1b2c3d4v001")
            for phase in SimulatorHarness.standardPhases {
                _ = try await sim.startPhase("new-checkout", phase)
                try await sim.server.complete(project: "demo", flag: "new-checkout")
            }

            let startValue = SimulatorHarness.startValue(dialect)
            let body = specCase.body?.replacingOccurrences(of: "\"Started\"", with: "\"\(startValue)\"")
            let response = try await sim.send(
                specCase.method, specCase.path, body: body, token: specCase.token, beta: specCase.beta
            )
            #expect(response.status == specCase.status, "\(response.text)")
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            let violations = checker.violations(of: try JSONValue(data: response.body), against: schema)
            #expect(Self.undocumented(violations, dialect: dialect).isEmpty, "\(violations)")
        }
    }

    @Test("observed releases differ from the spec only in their status spellings")
    func observedDeviations() async throws {
        let checker = try SpecSchemaChecker.load()
        let schema = try #require(checker.responseSchema(operationId: "getReleaseByFlagKey", status: 200))
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: .observed)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            let violations = checker.violations(of: try await sim.release("dark-mode"), against: schema)
            #expect(!violations.isEmpty)
            #expect(Self.undocumented(violations, dialect: .observed).isEmpty, "\(violations)")
        }
    }

    @Test("a 429 from the rate limit conforms to the spec")
    func rateLimitedConforms() async throws {
        let checker = try SpecSchemaChecker.load()
        let schema = try #require(checker.responseSchema(operationId: "getFeatureFlag", status: 429))
        let configuration = SimulatorConfiguration(dialect: .spec, rateLimit: SimulatorRateLimit(requests: 1))
        try await SimulatorHarness.run(configuration) { sim async throws in
            _ = try await sim.send(.GET, "/api/v2/flags/demo/dark-mode")
            let response = try await sim.send(.GET, "/api/v2/flags/demo/dark-mode")
            #expect(response.status == 429)
            #expect(checker.violations(of: try JSONValue(data: response.body), against: schema).isEmpty)
        }
    }

    @Test("the spec's status enum is exactly the simulator's phase statuses")
    func statusEnum() throws {
        let checker = try SpecSchemaChecker.load()
        let status = checker.schema(named: "ReleasePhase")?["properties"]?["status"]?["enum"]?.array
        #expect(status?.compactMap(\.string) == ["NotStarted", "ReadyToStart", "Started", "Paused", "Complete"])
    }

    @Test("the checker catches missing fields, wrong types and values outside an enum")
    func checkerDetectsViolations() throws {
        let checker = try SpecSchemaChecker.load()
        let schema = try #require(checker.schema(named: "ReleasePhase"))
        let phase = try JSONValue(
            data: Data(#"{"_id": 1, "complete": "no", "_creationDate": 5, "_audiences": [{}], "status": "Done"}"#.utf8)
        )
        let violations = checker.violations(of: phase, against: schema)
        #expect(violations.contains("$: missing required field '_name'"))
        #expect(violations.contains { $0.hasPrefix("$._id: expected string") })
        #expect(violations.contains { $0.hasPrefix("$.complete: expected boolean") })
        #expect(violations.contains("$._audiences[0]: missing required field '_id'"))
        #expect(violations.contains { $0.hasPrefix("$.status:") && $0.contains("is not one of") })
    }

    @Test(
        "every 2xx response of a release carries all the phase fields a runbook reads",
        arguments: SimulatorDialect.allCases)
    func fullReleaseFields(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(phaseDuration: .seconds(600), dialect: dialect)) {
            sim async throws in
            _ = try await sim.createRelease("dark-mode")
            _ = try await sim.startPhase("dark-mode", SimulatorHarness.standardPhases[0])
            try await sim.server.complete(project: "demo", flag: "dark-mode")
            let phase = try #require(try await sim.getRelease("dark-mode").json["phases"]?[0]?.object)
            let expected: Set = [
                "_id", "_name", "complete", "_creationDate", "_completionDate", "_completedBy", "_audiences", "status",
                "started", "_startedDate", "configuration",
            ]
            #expect(Set(phase.keys) == expected)
        }
    }
}
