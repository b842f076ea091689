import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ReleaseSimulator

/// A simulator started for one test on port 0, with an HTTP client that talks to it
/// over loopback, sending the token and the beta header unless told otherwise.
struct SimulatorHarness {
    let server: SimulatorServer

    static let project = "demo"
    static let standardPhases = ["65a1f0c2e4b0a1b2c3d40001", "65a1f0c2e4b0a1b2c3d40002", "65a1f0c2e4b0a1b2c3d40003"]

    /// Runs `body` against a fresh simulator (by default in the spec dialect, where phases
    /// complete on the next request).
    static func run<Result>(
        _ configuration: SimulatorConfiguration = SimulatorConfiguration(phaseDuration: .zero, dialect: .spec),
        _ body: (SimulatorHarness) async throws -> Result
    ) async throws -> Result {
        let server = try await SimulatorServer.start(configuration)
        do {
            let result = try await body(SimulatorHarness(server: server))
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Sends a request; `body` is JSON text.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        token: String? = nil,
        beta: Bool = true,
        headers extraHeaders: [(String, String)] = []
    ) async throws -> APIResponse {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: token ?? server.accessToken)
        if beta { request.headers.add(name: "LD-API-Version", value: "beta") }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return APIResponse(
            status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
    }

    // MARK: Shortcuts for the demo project

    func createRelease(_ flag: String, pipeline: String = "standard", variation: String? = nil) async throws
        -> APIResponse
    {
        var fields = ["\"releasePipelineKey\": \"\(pipeline)\""]
        if let variation { fields.append("\"releaseVariationId\": \"\(variation)\"") }
        return try await send(
            .PUT, "/api/v2/projects/\(Self.project)/flags/\(flag)/release", body: "{\(fields.joined(separator: ","))}"
        )
    }

    func getRelease(_ flag: String) async throws -> APIResponse {
        try await send(.GET, "/api/v2/flags/\(Self.project)/\(flag)/release")
    }

    /// Starts a phase with `status`, by default the value the server's dialect accepts.
    func startPhase(_ flag: String, _ phaseId: String, status: String? = nil) async throws -> APIResponse {
        let value = status ?? Self.startValue(server.dialect)
        return try await send(
            .PUT, "/api/v2/projects/\(Self.project)/flags/\(flag)/release/phases/\(phaseId)",
            body: "{\"status\": \"\(value)\"}"
        )
    }

    /// The `status` a dialect starts a phase with.
    static func startValue(_ dialect: SimulatorDialect) -> String { dialect == .spec ? "Started" : "active" }

    /// Spec spellings (`NotStarted`, ..., `Complete`) as `dialect` writes them.
    static func spelled(_ statuses: [String], in dialect: SimulatorDialect) -> [String] {
        guard dialect == .observed else { return statuses }
        let observed = [
            "NotStarted": "not-started", "ReadyToStart": "ready-to-start", "Started": "active", "Paused": "paused",
            "Complete": "completed",
        ]
        return statuses.map { observed[$0] ?? $0 }
    }

    /// A release read over HTTP.
    func release(_ flag: String) async throws -> JSONValue { try await getRelease(flag).json }

    /// The status of each audience (the first of each phase) of the flag's release.
    func audienceStatuses(_ flag: String) async throws -> [String] {
        try await release(flag)["phases"]?.array.compactMap { $0["_audiences"]?[0]?["status"]?.string } ?? []
    }

    /// Whether the flag is on in each environment, read from the flag.
    func flagOn(_ flag: String) async throws -> [String: Bool] {
        let environments = try await send(.GET, "/api/v2/flags/\(Self.project)/\(flag)").json["environments"]
        return (environments?.object ?? [:]).compactMapValues { $0["on"]?.bool }
    }

    /// The status of each phase of the flag's release, read over HTTP.
    func phaseStatuses(_ flag: String) async throws -> [String] {
        try await getRelease(flag).json["phases"]?.array.compactMap { $0["status"]?.string } ?? []
    }
}

/// A response, with its body parsed as JSON on demand.
struct APIResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var json: JSONValue { (try? JSONValue(data: body)) ?? .null }
    var errorCode: String? { json["code"]?.string }
    var message: String { json["message"]?.string ?? "" }
    var text: String { String(decoding: body, as: UTF8.self) }
}
