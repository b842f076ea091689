import NIOHTTP1
import ReleaseCore
import Testing

/// `startPhase` decisions against scripted responses (the simulator tests cover real faults).
@Suite struct PhaseStartTests {
    /// A client whose release reads return `reads` in turn (the last repeats) and whose phase
    /// updates return `updateStatus`.
    static func client(reads: [[String]], updateStatus: Int) throws -> (ReleaseClient, StubTransport) {
        let readCount = Counter()
        let transport = StubTransport { request in
            if request.method == .PUT {
                return StubTransport.json(updateStatus, #"{"code":"invalid_request","message":"already started"}"#)
            }
            let statuses = reads[min(readCount.increment(), reads.count - 1)]
            let json = Fixtures.releaseJSON(
                phases: statuses.enumerated().map { Fixtures.phase($0.offset + 1, status: $0.element) })
            return StubTransport.json(200, json.serialized())
        }
        let client = try ReleaseClient(
            configuration: .init(accessToken: "t", defaultProject: "web", retry: .none), transport: transport)
        return (client, transport)
    }

    @Test func aPhaseStartedBySomeoneElseMeanwhileIsAlreadyStarted() async throws {
        let (client, transport) = try Self.client(reads: [["ReadyToStart"], ["Started"]], updateStatus: 400)
        let result = try await client.startPhase(flag: "f")
        guard case .alreadyStarted(let release) = result else {
            Issue.record("expected .alreadyStarted, got \(result)")
            return
        }
        #expect(release.phases[0].status == .started)
        #expect(transport.requests.map(\.method.rawValue) == ["GET", "PUT", "GET"])
    }

    @Test func aRefusalThatTheReleaseDoesNotExplainIsThrown() async throws {
        let (client, transport) = try Self.client(reads: [["ReadyToStart"]], updateStatus: 400)
        await #expect {
            try await client.startPhase(flag: "f")
        } throws: { error in
            (error as? ReleaseError)?.kind == .invalidRequest
        }
        #expect(transport.requests.filter { $0.method == .PUT }.count == 1)
    }

    @Test func nothingIsSentForAStartedOrCompletePhase() async throws {
        for status in ["Started", "Paused", "Complete"] {
            let (client, transport) = try Self.client(reads: [[status]], updateStatus: 200)
            let result = try await client.startPhase(flag: "f", phaseId: "Phase 1")
            #expect(result == .alreadyStarted(result.release))
            #expect(transport.requests.allSatisfy { $0.method == .GET })
        }
    }

    @Test func noPhaseLeftIsAnInvalidRequest() async throws {
        let (client, _) = try Self.client(reads: [["Complete", "Complete"]], updateStatus: 200)
        await #expect {
            try await client.startPhase(flag: "f")
        } throws: { error in
            (error as? ReleaseError)?.kind == .invalidRequest
                && (error as? ReleaseError)?.message.contains("status complete") == true
        }
    }
}
