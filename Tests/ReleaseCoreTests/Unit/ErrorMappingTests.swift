import ReleaseCore
import Testing

@Suite struct ErrorMappingTests {
    static let token = "api-secret-token-1234"

    /// A client whose every request gets `status` and `body`.
    static func failingClient(status: Int, body: String) throws -> ReleaseClient {
        let transport = StubTransport { _ in StubTransport.json(status, body) }
        return try ReleaseClient(
            configuration: .init(accessToken: token, defaultProject: "web", retry: .none), transport: transport)
    }

    @Test(arguments: [
        (400, #"{"code":"invalid_request","message":"phase cannot start","id":"req-1"}"#, "invalid_request", false),
        (401, #"{"code":"unauthorized","message":"Invalid access token"}"#, "unauthorized", false),
        (403, #"{"code":"forbidden","message":"Forbidden"}"#, "forbidden", false),
        (404, #"{"code":"not_found","message":"Unknown flag"}"#, "not_found", false),
        (409, #"{"code":"optimistic_locking_error","message":"Conflict"}"#, "optimistic_locking_error", true),
        (429, #"{"code":"rate_limited","message":"slow down"}"#, "rate_limited", true),
        (503, "<html>busy</html>", "server_error", true),
        (418, "", "http_418", false),
    ])
    func statusAndBodyBecomeOneError(status: Int, body: String, code: String, retryable: Bool) async throws {
        let client = try Self.failingClient(status: status, body: body)
        await #expect {
            _ = try await client.pipeline(key: "standard")
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.code == code && error.status == status && error.isRetryable == retryable
                && error.operation == "pipeline.get web/standard" && !error.message.isEmpty
        }
    }

    @Test func messageAndRequestIdComeFromLaunchDarkly() async throws {
        let client = try Self.failingClient(
            status: 400, body: #"{"code":"invalid_request","message":"phase cannot start","id":"req-1"}"#)
        do {
            _ = try await client.flag(key: "checkout")
            Issue.record("expected an error")
        } catch let error as ReleaseError {
            #expect(error.message == "phase cannot start")
            #expect(error.requestId == "req-1")
            #expect(error.description == "flag.get web/checkout: invalid_request (HTTP 400): phase cannot start")
        }
    }

    @Test func unauthorizedExplainsHowToSetTheToken() async throws {
        let client = try Self.failingClient(
            status: 401, body: #"{"code":"unauthorized","message":"Invalid access token"}"#)
        do {
            _ = try await client.release(flag: "checkout")
            Issue.record("expected an error")
        } catch let error as ReleaseError {
            #expect(error.kind == .unauthorized)
            #expect(error.description.contains("LD_ACCESS_TOKEN"))
            #expect(!error.description.contains(Self.token))
        }
    }

    @Test func forbiddenOnABetaRouteExplainsTheBetaHeader() async throws {
        let client = try Self.failingClient(status: 403, body: #"{"code":"forbidden","message":"Forbidden"}"#)
        do {
            _ = try await client.release(flag: "checkout")
            Issue.record("expected an error")
        } catch let error as ReleaseError {
            #expect(error.hint?.contains("LD-API-Version: beta") == true)
        }
        do {
            _ = try await client.flag(key: "checkout")
            Issue.record("expected an error")
        } catch let error as ReleaseError {
            #expect(error.hint?.contains("LD-API-Version") == false)
        }
    }

    @Test func anEchoedTokenIsRedacted() async throws {
        let client = try Self.failingClient(
            status: 401, body: #"{"code":"unauthorized","message":"token api-secret-token-1234 is invalid"}"#)
        do {
            _ = try await client.flag(key: "checkout")
            Issue.record("expected an error")
        } catch let error as ReleaseError {
            #expect(error.message == "token [redacted] is invalid")
            #expect(!"\(error)".contains(Self.token))
        }
    }

    @Test func malformedSuccessBodyIsADecodingError() async throws {
        let client = try Self.failingClient(status: 200, body: #"{"items": "#)
        await #expect {
            _ = try await client.pipelines()
        } throws: { error in
            (error as? ReleaseError)?.kind == .decoding
                && (error as? ReleaseError)?.operation == "pipeline.list web"
        }
    }

    @Test func missingProjectIsAConfigError() async throws {
        let client = try ReleaseClient(
            configuration: .init(accessToken: Self.token),
            transport: StubTransport { _ in StubTransport.json(200, "{}") })
        await #expect {
            _ = try await client.release(flag: "checkout")
        } throws: { error in
            (error as? ReleaseError)?.kind == .config
        }
    }

    @Test func codesMatchInSwitchPatterns() {
        let error: any Error = ReleaseError(.paused, message: "paused")
        switch error {
        case ReleaseError.Code.timeout: Issue.record("matched the wrong code")
        case ReleaseError.Code.paused: break
        default: Issue.record("no match")
        }
    }
}
