import ReleaseCore
import Testing

/// `waitForPhase` against scripted release states, on a virtual clock.
@Suite struct PhaseWaitTests {
    /// A client whose release reads return the scripted statuses one after another (the last repeats).
    static func client(_ script: [[String]], canceledFrom: Int? = nil) throws -> (ReleaseClient, Counter) {
        let reads = Counter()
        let transport = StubTransport { _ in
            let read = reads.increment()
            let index = min(read, script.count - 1)
            let canceledAt: Int64? = canceledFrom.flatMap { read >= $0 ? 1_700_000_000_000 : nil }
            let json = Fixtures.releaseJSON(
                phases: script[index].enumerated().map { Fixtures.phase($0.offset + 1, status: $0.element) },
                canceledAt: canceledAt)
            return StubTransport.json(200, json.serialized())
        }
        let client = try ReleaseClient(
            configuration: .init(accessToken: "t", defaultProject: "web", retry: .none), transport: transport)
        return (client, reads)
    }

    static let policy = WaitPolicy(timeout: .seconds(60), interval: .seconds(5))

    @Test func returnsTheReleaseOnceThePhaseIsComplete() async throws {
        let (client, reads) = try Self.client([
            ["Started", "NotStarted"], ["Started", "NotStarted"], ["Complete", "ReadyToStart"],
        ])
        let clock = SleepRecordingClock()
        let release = try await client.waitForPhase(
            flag: "checkout", phase: "Phase 1", policy: Self.policy, waiter: Waiter(clock: clock))
        #expect(release.phases[0].isComplete)
        #expect(reads.value == 3)
        #expect(clock.sleeps == [.seconds(5), .seconds(5)])
    }

    @Test func withoutAPhaseItWaitsForTheActiveOne() async throws {
        let (client, _) = try Self.client([["Complete", "Started"], ["Complete", "Complete"]])
        let release = try await client.waitForPhase(
            flag: "f", policy: Self.policy, waiter: Waiter(clock: SleepRecordingClock()))
        #expect(PhaseSelector.status(of: release) == .complete)
    }

    @Test func aPausedPhaseRaisesWithPhaseAndReleaseContext() async throws {
        let (client, _) = try Self.client([["Started"], ["Paused"]])
        do {
            _ = try await client.waitForPhase(
                flag: "checkout", phase: "phase-1", policy: Self.policy, waiter: Waiter(clock: SleepRecordingClock()))
            Issue.record("expected paused")
        } catch let error as ReleaseError {
            #expect(error.kind == .paused)
            #expect(error.context.phaseId == "phase-1" && error.context.phaseName == "Phase 1")
            #expect(error.context.flag == "checkout" && error.context.project == "web")
            #expect(error.context.release?["phases"]?[0]?["status"] == "Paused")
            #expect(error.operation == "phase.wait web/checkout")
        }
    }

    @Test func timeoutCarriesTheLastReleaseSeen() async throws {
        let (client, _) = try Self.client([["Started"]])
        let clock = SleepRecordingClock()
        do {
            _ = try await client.waitForPhase(
                flag: "checkout", policy: WaitPolicy(timeout: .seconds(12), interval: .seconds(5)),
                waiter: Waiter(clock: clock))
            Issue.record("expected timeout")
        } catch let error as ReleaseError {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("12s"))
            #expect(error.context.phaseId == "phase-1")
            #expect(error.context.release != nil)
            #expect(clock.now.offset == .seconds(12))
        }
    }

    @Test func aCanceledReleaseRaisesCanceled() async throws {
        let (client, _) = try Self.client([["Started"]], canceledFrom: 1)
        await #expect {
            _ = try await client.waitForPhase(
                flag: "f", policy: Self.policy, waiter: Waiter(clock: SleepRecordingClock()))
        } throws: { error in
            (error as? ReleaseError)?.kind == .canceled
        }
    }

    @Test func anUnknownPhaseIsNotFound() async throws {
        let (client, _) = try Self.client([["Started"]])
        await #expect {
            _ = try await client.waitForPhase(
                flag: "f", phase: "Nope", policy: Self.policy, waiter: Waiter(clock: SleepRecordingClock()))
        } throws: { error in
            (error as? ReleaseError)?.kind == .notFound
        }
    }
}
