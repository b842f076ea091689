import NIOHTTP1
import Synchronization
import Testing

@testable import ReleaseCore

/// The start value: the one of the dialect the release is spelt in (`active` when it does
/// not tell), the other once when a 400 refuses the value itself, and the accepted one
/// remembered by the client and sent first from then on.
@Suite struct PhaseStartValueTests {
    static let observedRefusal =
        #"{"code":"invalid_request","message":"Phase status can only be manually updated to `Active`."}"#
    static let specRefusal =
        #"{"code":"invalid_request","message":"status: 'active' is not one of NotStarted, ReadyToStart, Started, Paused, Complete"}"#

    /// A server that accepts only `accepted` as the start value and refuses others with
    /// `refusal`; each flag's release shows one phase, `notStarted` until a start was accepted.
    static func server(accepting accepted: String?, refusal: String, notStarted: String = "not-started") throws -> (
        ReleaseClient, StubTransport
    ) {
        let started = Mutex<Set<String>>([])
        let transport = StubTransport { request in
            let flag = Self.flag(in: request.url)
            if request.method == .PUT {
                let body = try JSONValue(parsing: request.body ?? [])
                guard body["status"]?.stringValue == accepted else { return StubTransport.json(400, refusal) }
                _ = started.withLock { $0.insert(flag) }
            }
            let isStarted = started.withLock { $0.contains(flag) }
            let status = isStarted ? (accepted == "active" ? "active" : "Started") : notStarted
            return StubTransport.json(
                200, Fixtures.releaseJSON(phases: [Fixtures.phase(1, status: status)]).serialized())
        }
        let client = try ReleaseClient(
            configuration: .init(accessToken: "t", defaultProject: "web", retry: .none), transport: transport)
        return (client, transport)
    }

    /// The flag key of a release URL (`/flags/web/KEY/release` or `/projects/web/flags/KEY/...`).
    static func flag(in url: String) -> String {
        let parts = url.split(separator: "/").map(String.init)
        guard let index = parts.firstIndex(of: "flags") else { return "" }
        let rest = parts[(index + 1)...]
        return rest.first == "web" ? rest.dropFirst().first ?? "" : rest.first ?? ""
    }

    static func sentValues(_ transport: StubTransport, flag: String? = nil) throws -> [String?] {
        try transport.requests.filter { $0.method == .PUT && (flag == nil || Self.flag(in: $0.url) == flag) }.map {
            try JSONValue(parsing: $0.body ?? [])["status"]?.stringValue
        }
    }

    @Test func activeIsSentFirst() async throws {
        let (client, transport) = try Self.server(accepting: "active", refusal: Self.observedRefusal)
        let result = try await client.startPhase(flag: "f")
        #expect(result.sentStatus == "active")
        #expect(try Self.sentValues(transport) == ["active"])
        #expect(client.phaseStartValue == "active")
        #expect(client.dialect == .observed)
    }

    /// A server that spells statuses as a real account does yet takes only `Started`.
    @Test func aRefusedValueFallsBackToStartedOnceAndIsRemembered() async throws {
        let (client, transport) = try Self.server(accepting: "Started", refusal: Self.specRefusal)
        let result = try await client.startPhase(flag: "f")
        guard case .started(_, let sent) = result else {
            Issue.record("expected .started, got \(result)")
            return
        }
        #expect(sent == "Started")
        #expect(try Self.sentValues(transport) == ["active", "Started"])
        #expect(client.phaseStartValue == "Started")
        #expect(client.dialect == .spec)

        // The next start by the same client sends the remembered value only.
        let next = try await client.startPhase(flag: "g")
        #expect(next.sentStatus == "Started")
        #expect(try Self.sentValues(transport, flag: "g") == ["Started"])
    }

    /// The refused value's answer is lost: the client cannot tell it was refused, reads the
    /// release (not started), sends the same value again, is refused, and falls back once.
    @Test func theFallbackWhenTheRefusalIsLost() async throws {
        let started = Mutex(false)
        let puts = Mutex(0)
        let transport = StubTransport { request in
            if request.method == .PUT {
                let body = try JSONValue(parsing: request.body ?? [])
                let count = puts.withLock {
                    $0 += 1
                    return $0
                }
                if count == 1 { throw TransportError(.connectionLost, detail: "the answer was lost") }
                guard body["status"]?.stringValue == "Started" else { return StubTransport.json(400, Self.specRefusal) }
                started.withLock { $0 = true }
            }
            let status = started.withLock { $0 } ? "Started" : "not-started"
            return StubTransport.json(
                200, Fixtures.releaseJSON(phases: [Fixtures.phase(1, status: status)]).serialized())
        }
        let client = try ReleaseClient(
            configuration: .init(
                accessToken: "t", defaultProject: "web", retry: .init(maxAttempts: 3, baseDelay: .zero)),
            transport: transport)
        let result = try await client.startPhase(flag: "f")
        #expect(result.sentStatus == "Started")
        #expect(try Self.sentValues(transport) == ["active", "active", "Started"])
        #expect(client.phaseStartValue == "Started")
    }

    /// A release spelt as the spec spells it (`ReadyToStart`) gets `Started` first, so starts
    /// sent side by side before the first answer are not each refused once.
    @Test func aReleaseSpeltAsTheSpecGetsStartedFirst() async throws {
        let (client, transport) = try Self.server(
            accepting: "Started", refusal: Self.specRefusal, notStarted: "ReadyToStart")
        async let first = client.startPhase(flag: "f")
        async let second = client.startPhase(flag: "g")
        let results = try await [first, second]
        #expect(results.map(\.sentStatus) == ["Started", "Started"])
        #expect(try Self.sentValues(transport) == ["Started", "Started"])
        #expect(client.phaseStartValue == "Started")
    }

    /// Once the server has accepted a value, that value goes first, whatever a release's
    /// spellings suggest.
    @Test func anAcceptedValueGoesFirstWhateverTheReleaseSpells() async throws {
        let (client, transport) = try Self.server(
            accepting: "active", refusal: Self.observedRefusal, notStarted: "ReadyToStart")
        let first = try await client.startPhase(flag: "f")
        #expect(first.sentStatus == "active")
        #expect(try Self.sentValues(transport, flag: "f") == ["Started", "active"])
        let next = try await client.startPhase(flag: "g")
        #expect(next.sentStatus == "active")
        #expect(try Self.sentValues(transport, flag: "g") == ["active"])
    }

    @Test func aServerRefusingBothValuesGetsEachOnceAndAnErrorNamingBoth() async throws {
        let (client, transport) = try Self.server(accepting: nil, refusal: Self.observedRefusal)
        await #expect {
            try await client.startPhase(flag: "f")
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .invalidRequest && error.status == 400
                && error.message.contains("'active'") && error.message.contains("'Started'")
                && error.message.contains("manually updated to `Active`")
        }
        #expect(try Self.sentValues(transport) == ["active", "Started"])
    }

    @Test(
        arguments: [
            (400, "Phase status can only be manually updated to `Active`.", true),
            (400, "status: 'active' is not one of NotStarted, ReadyToStart, Started, Paused, Complete", true),
            (400, "status: only 'Started' can be requested; 'Complete' is set by LaunchDarkly", true),
            (400, "Invalid phase status", true),
            (400, "phase 'Staging' is already started", false),
            (400, "phase 'Staging' cannot start: the previous phase 'Testing' is not complete", false),
            (400, "phase status: 'Testing' is waiting for approval", false),
            (400, "the release is paused; status unchanged", false),
            (400, "unknown audience", false),
            (409, "status conflict", false),
            (422, "status: bad value", false),
        ] as [(Int, String, Bool)])
    func whatCountsAsRefusingTheValue(status: Int, message: String, refuses: Bool) {
        let error = ReleaseError(.invalidRequest, message: message, status: status)
        #expect(ReleaseClient.refusesStartValue(error) == refuses)
    }
}
