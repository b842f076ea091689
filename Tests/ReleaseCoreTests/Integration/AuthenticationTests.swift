import NIOHTTP1
import ReleaseCore
import ReleaseSimulator
import Testing

/// Token, beta header and transport-level refusals against the simulator.
@Suite(.timeLimit(.minutes(1))) struct AuthenticationTests {
    /// Forwards requests without the `LD-API-Version` header, to provoke the beta 403.
    struct StrippingBetaHeader: HTTPTransport {
        let base: any HTTPTransport

        func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
            var request = request
            request.headers.remove(name: "LD-API-Version")
            return try await base.send(request, timeout: timeout)
        }

        func shutdown() async throws { try await base.shutdown() }
    }

    @Test func aWrongTokenIsUnauthorizedWithAHintAndNoToken() async throws {
        var options = SimulatorHarness.Options()
        options.accessToken = "wrong-secret-token"
        try await SimulatorHarness.run(options) { _, client in
            do {
                _ = try await client.release(flag: "new-checkout")
                Issue.record("expected 401")
            } catch let error as ReleaseError {
                #expect(error.kind == .unauthorized && error.status == 401)
                #expect(error.description.contains("LD_ACCESS_TOKEN"))
                #expect(!error.description.contains("wrong-secret-token"))
            }
        }
    }

    @Test func aMissingBetaHeaderIsExplained() async throws {
        var options = SimulatorHarness.Options()
        options.transport = { StrippingBetaHeader(base: $0) }
        try await SimulatorHarness.run(options) { _, client in
            do {
                _ = try await client.pipelines()
                Issue.record("expected 403")
            } catch let error as ReleaseError {
                #expect(error.kind == .forbidden && error.status == 403)
                #expect(error.hint?.contains("LD-API-Version: beta") == true)
            }
            _ = try await client.flag(key: "new-checkout")  // not a beta route: fine without the header
        }
    }

    @Test func plainHTTPToARemoteHostIsRefusedBeforeAnyRequest() throws {
        #expect {
            try ReleaseClient(
                configuration: .init(accessToken: "t", baseURL: try BaseURL("http://app.launchdarkly.com")))
        } throws: { error in
            (error as? ReleaseError)?.kind == .config
        }
    }

    @Test func nothingListensIsATransportErrorAfterRetries() async throws {
        var configuration = ReleaseClientConfiguration(
            accessToken: "t", baseURL: try BaseURL("http://127.0.0.1:1"), defaultProject: "demo",
            timeouts: .init(connect: .milliseconds(200), request: .seconds(2)),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
        let records = RecordCollector()
        configuration.onRequest = { records.add($0) }
        let client = try ReleaseClient(
            configuration: configuration, transport: AsyncHTTPClientTransport(connectTimeout: .milliseconds(200)))
        await #expect {
            try await client.createPipeline(definition: ["key": "x"])
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .transport && error.attempts == 2 && error.isRetryable
        }
        // Even a POST is retried when the connection was never made.
        #expect(records.records.map(\.attempt) == [1, 2])
        #expect(records.records.allSatisfy { $0.status == nil && $0.transportError != nil })
        try await client.shutdown()
    }
}
