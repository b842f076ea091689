import ReleaseCore
import ReleaseSimulator
import Testing

/// `startPhase` under injected faults: the request log proves the phase was started once.
@Suite(.timeLimit(.minutes(1))) struct ExactlyOnceStartTests {
    static func run(
        faults: String, requestTimeout: Duration = .seconds(5), settle: Duration = .zero,
        _ check: ([SimulatorRequestRecord], PhaseStartResult) -> Void
    ) async throws {
        var options = SimulatorHarness.Options()
        options.phaseDuration = .seconds(3600)
        options.requestTimeout = requestTimeout
        try await SimulatorHarness.run(options) { server, client in
            _ = try await client.createRelease(flag: "new-checkout", pipelineKey: "standard")
            await server.setFaults(try FaultPlan(spec: faults))
            let result = try await client.startPhase(flag: "new-checkout")
            #expect(result.release.phases[0].status == .started)
            try await Task.sleep(for: settle)  // let slow requests finish on the server
            let log = await server.requestLog().on(.phaseStart)
            // Exactly one start request succeeded; any other one that was processed was refused.
            #expect(log.filter { $0.processed && $0.status == 200 }.count == 1)
            check(log, result)
        }
    }

    @Test func connectionDroppedAfterTheServerStartedIt() async throws {
        try await Self.run(faults: "phase-start:count=1:drop=after") { log, result in
            #expect(log.count == 1)
            guard case .started = result else {
                Issue.record("expected .started, got \(result)")
                return
            }
        }
    }

    @Test func connectionDroppedBeforeTheServerSawIt() async throws {
        try await Self.run(faults: "phase-start:count=1:drop=before") { log, result in
            #expect(log.map(\.processed) == [false, true])
            guard case .started = result else {
                Issue.record("expected .started, got \(result)")
                return
            }
        }
    }

    @Test func serverErrorsBeforeProcessing() async throws {
        try await Self.run(faults: "phase-start:count=2:status=503") { log, _ in
            #expect(log.map(\.status) == [503, 503, 200])
        }
    }

    @Test func aTimeoutWhileTheServerIsStillWorking() async throws {
        try await Self.run(
            faults: "phase-start:count=1:latency=600ms", requestTimeout: .milliseconds(200), settle: .milliseconds(800)
        ) { log, result in
            // The slow first request reaches the state machine after the retry started the phase,
            // and is refused there (on a very busy machine it may time out before it arrives).
            #expect(log.filter { $0.status == 200 }.count == 1)
            #expect(log.count <= 2)
            #expect(log.allSatisfy { $0.status == 200 || $0.status == 400 })
            guard case .started = result else {
                Issue.record("expected .started, got \(result)")
                return
            }
        }
    }

    @Test func aRateLimitedStartIsSimplyRetried() async throws {
        try await Self.run(faults: "phase-start:count=1:reset=past") { log, _ in
            #expect(log.map(\.status) == [429, 200])
        }
    }
}
