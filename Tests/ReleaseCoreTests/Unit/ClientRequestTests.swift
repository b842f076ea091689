import NIOHTTP1
import ReleaseCore
import Testing

/// What the client puts on the wire, checked against a stub transport.
@Suite struct ClientRequestTests {
    static let token = "api-0123456789"
    static let releaseBody =
        #"{"name":"S","releasePipelineKey":"standard","releasePipelineDescription":"","_version":1,"phases":[]}"#

    static func client(
        retry: RetryPolicy = .none, records: RecordCollector? = nil, _ responder: @escaping StubTransport.Responder
    ) throws -> (ReleaseClient, StubTransport) {
        let transport = StubTransport(responder)
        var configuration = ReleaseClientConfiguration(
            accessToken: token, baseURL: try BaseURL("https://ld.example.com"), defaultProject: "web", retry: retry,
            userAgent: "ldrun/9.9")
        if let records { configuration.onRequest = { records.add($0) } }
        return (try ReleaseClient(configuration: configuration, transport: transport), transport)
    }

    @Test func betaRoutesSendTheBetaHeaderAndTheFlagRouteDoesNot() async throws {
        let (client, transport) = try Self.client { request in
            request.url.contains("/release")
                ? StubTransport.json(200, Self.releaseBody)
                : StubTransport.json(200, #"{"key":"checkout","variations":[]}"#)
        }
        _ = try await client.release(flag: "checkout")
        _ = try await client.flag(key: "checkout", environment: "production")
        let (release, flag) = (transport.requests[0], transport.requests[1])
        #expect(release.url == "https://ld.example.com/api/v2/flags/web/checkout/release")
        #expect(release.headers["Authorization"] == [Self.token])
        #expect(release.headers["LD-API-Version"] == ["beta"])
        #expect(release.headers["User-Agent"] == ["ldrun/9.9"])
        #expect(flag.url == "https://ld.example.com/api/v2/flags/web/checkout?env=production")
        #expect(flag.headers["Authorization"] == [Self.token])
        #expect(flag.headers["LD-API-Version"].isEmpty)
    }

    @Test func bodiesAreWhatTheAPIExpects() async throws {
        let (client, transport) = try Self.client { _ in StubTransport.json(200, Self.releaseBody) }
        _ = try await client.createRelease(
            project: "mobile", flag: "f", pipelineKey: "standard", releaseVariationId: "v1")
        _ = try await client.updatePhaseStatus(
            flag: "f", phaseId: "p 1", status: .started, audiences: [PhaseAudienceInput(audienceId: "a1")])
        _ = try await client.patchRelease(flag: "f", operations: [.setPhaseComplete(index: 1)])
        let requests = transport.requests
        #expect(requests[0].method == .PUT)
        #expect(requests[0].url == "https://ld.example.com/api/v2/projects/mobile/flags/f/release")
        #expect(body(requests[0]) == #"{"releasePipelineKey":"standard","releaseVariationId":"v1"}"#)
        #expect(requests[0].headers["Content-Type"] == ["application/json"])
        #expect(requests[1].url == "https://ld.example.com/api/v2/projects/web/flags/f/release/phases/p%201")
        // The start value a real account accepts, until a server refuses it.
        #expect(body(requests[1]) == #"{"audiences":[{"audienceId":"a1"}],"status":"active"}"#)
        #expect(requests[2].method == .PATCH)
        #expect(body(requests[2]) == #"[{"op":"replace","path":"/phases/1/complete","value":true}]"#)
    }

    private func body(_ request: TransportRequest) -> String? {
        guard let bytes = request.body, let json = try? JSONValue(parsing: bytes) else { return nil }
        return json.serialized(sortedKeys: true)
    }

    @Test func sameOriginRedirectsAreFollowedWithTheToken() async throws {
        let (client, transport) = try Self.client { request in
            if request.url.hasSuffix("/old") || request.url.contains("/flags/web/checkout/release") {
                return TransportResponse(status: 307, headers: ["Location": "/api/v2/moved"])
            }
            return StubTransport.json(200, Self.releaseBody)
        }
        _ = try await client.release(flag: "checkout")
        #expect(transport.requests.map(\.url).last == "https://ld.example.com/api/v2/moved")
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == [Self.token] })
    }

    @Test(arguments: ["https://evil.example.com/steal", "http://ld.example.com/x", "https://ld.example.com:444/x"])
    func redirectsElsewhereAreRefusedAndTheTokenIsNotSent(location: String) async throws {
        let (client, transport) = try Self.client { _ in TransportResponse(status: 302, headers: ["Location": location])
        }
        await #expect {
            _ = try await client.release(flag: "checkout")
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .transport && error.message.contains("redirect")
        }
        #expect(transport.requests.count == 1)
        #expect(transport.requests.allSatisfy { $0.url.hasPrefix("https://ld.example.com/") })
    }

    @Test func everyAttemptIsRecordedWithoutTheTokenOrHost() async throws {
        let records = RecordCollector()
        let attempts = Counter()
        let (client, _) = try Self.client(
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)),
            records: records
        ) { _ in
            attempts.increment() < 2 ? StubTransport.json(503, "{}") : StubTransport.json(200, Self.releaseBody)
        }
        _ = try await client.release(flag: "checkout")
        let seen = records.records
        #expect(seen.map(\.status) == [503, 503, 200])
        #expect(seen.map(\.attempt) == [1, 2, 3])
        #expect(seen.map(\.willRetry) == [true, true, false])
        #expect(seen.allSatisfy { $0.path == "/api/v2/flags/web/checkout/release" && $0.method == "GET" })
        #expect(seen.allSatisfy { $0.operation == "release.get web/checkout" })
        #expect(!seen.contains { "\($0)".contains(Self.token) || "\($0)".contains("ld.example.com") })
    }

    @Test func transportFailuresOfTheStubAreMappedAndRetriedByKind() async throws {
        let attempts = Counter()
        let (client, _) = try Self.client(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1))) { _ in
            attempts.increment()
            throw TransportError(.connectionLost, detail: "reset by peer")
        }
        await #expect {
            _ = try await client.createPipeline(definition: ["key": "p", "name": "P", "phases": []])
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .transport && error.isRetryable && error.attempts == 1
        }
        #expect(attempts.value == 1)  // POST: not retried after the connection dropped
        _ = try? await client.pipeline(key: "p")
        #expect(attempts.value == 7)  // GET: retried up to maxAttempts + extraReadAttempts (3 + 3)
    }
}

/// A thread-safe counter; `increment` returns the value before incrementing.
final class Counter: @unchecked Sendable {
    private let lock = NSLockWrapper()
    private var count = 0

    var value: Int { lock.withLock { count } }

    @discardableResult
    func increment() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }
}
