import ReleaseCore
import ReleaseSimulator
import Testing

/// `startPhase` under injected faults, in both dialects: the request log proves the phase
/// was started once. In the spec dialect the client first learns, on another flag, that the
/// server wants `Started`, so both dialects see the same requests for the flag under test
/// (except where a test says otherwise);
/// `theStartValueFallbackUnderFaults` covers a fault on the refused value itself.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ExactlyOnceStartTests {
    static func run(
        faults: String, dialect: SimulatorDialect, known: Bool = false, requestTimeout: Duration = .seconds(5),
        settle: Duration = .zero, learnFirst: Bool? = nil, _ check: ([SimulatorRequestRecord], PhaseStartResult) -> Void
    ) async throws {
        var options = SimulatorHarness.Options()
        options.phaseDuration = .seconds(3600)
        options.requestTimeout = requestTimeout
        options.dialect = dialect
        try await SimulatorHarness.run(options) { server, client in
            if learnFirst ?? (dialect == .spec) {
                _ = try await client.createRelease(flag: "dark-mode", pipelineKey: "standard")
                _ = try await client.startPhase(flag: "dark-mode")
            }
            let created = try await client.createRelease(flag: "new-checkout", pipelineKey: "standard")
            await server.setFaults(try FaultPlan(spec: faults))
            // `known`: the caller's release is trusted instead of read again.
            let result = try await client.startPhase(flag: "new-checkout", known: known ? created : nil)
            #expect(result.release.phases[0].status == .started)
            try await Task.sleep(for: settle)  // let slow requests finish on the server
            let log = await server.requestLog().on(.phaseStart).filter { $0.flagKey == "new-checkout" }
            // Exactly one start request succeeded; any other one that was processed was refused.
            #expect(log.filter { $0.processed && $0.status == 200 }.count == 1)
            check(log, result)
        }
    }

    @Test(arguments: SimulatorDialect.allCases, [false, true])
    func connectionDroppedAfterTheServerStartedIt(dialect: SimulatorDialect, known: Bool) async throws {
        try await Self.run(faults: "phase-start:count=1:drop=after", dialect: dialect, known: known) { log, result in
            #expect(log.count == 1)
            guard case .started = result else {
                Issue.record("expected .started, got \(result)")
                return
            }
        }
    }

    @Test(arguments: SimulatorDialect.allCases, [false, true])
    func connectionDroppedBeforeTheServerSawIt(dialect: SimulatorDialect, known: Bool) async throws {
        try await Self.run(faults: "phase-start:count=1:drop=before", dialect: dialect, known: known) { log, result in
            #expect(log.map(\.processed) == [false, true])
            guard case .started = result else {
                Issue.record("expected .started, got \(result)")
                return
            }
        }
    }

    @Test(arguments: SimulatorDialect.allCases, [false, true])
    func serverErrorsBeforeProcessing(dialect: SimulatorDialect, known: Bool) async throws {
        try await Self.run(faults: "phase-start:count=2:status=503", dialect: dialect, known: known) { log, _ in
            #expect(log.map(\.status) == [503, 503, 200])
        }
    }

    @Test(arguments: SimulatorDialect.allCases, [false, true])
    func aTimeoutWhileTheServerIsStillWorking(dialect: SimulatorDialect, known: Bool) async throws {
        // No warm-up here: it would only add requests under the short timeout. In the spec
        // dialect the slow first request carries the refused `active`.
        try await Self.run(
            faults: "phase-start:count=1:latency=3s", dialect: dialect, known: known, requestTimeout: .seconds(1),
            settle: .milliseconds(3500), learnFirst: false
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

    @Test(arguments: SimulatorDialect.allCases, [false, true])
    func aRateLimitedStartIsSimplyRetried(dialect: SimulatorDialect, known: Bool) async throws {
        try await Self.run(faults: "phase-start:count=1:reset=past", dialect: dialect, known: known) { log, _ in
            #expect(log.map(\.status) == [429, 200])
        }
    }

    /// A release the caller holds that has gone stale: the server refuses the second start,
    /// and the call reports the phase as already started.
    @Test(arguments: SimulatorDialect.allCases)
    func aStaleKnownReleaseCannotStartAPhaseTwice(dialect: SimulatorDialect) async throws {
        var options = SimulatorHarness.Options()
        options.phaseDuration = .seconds(3600)
        options.dialect = dialect
        try await SimulatorHarness.run(options) { server, client in
            let stale = try await client.createRelease(flag: "new-checkout", pipelineKey: "standard")
            let first = try await client.startPhase(flag: "new-checkout")
            let second = try await client.startPhase(flag: "new-checkout", phaseId: stale.phases[0].id, known: stale)
            guard case .started = first, case .alreadyStarted(let release) = second else {
                Issue.record("expected .started then .alreadyStarted, got \(first) and \(second)")
                return
            }
            #expect(release.phases[0].isStarted)
            let log = await server.requestLog().on(.phaseStart).filter { $0.flagKey == "new-checkout" }
            #expect(log.filter { $0.status == 200 }.count == 1)
            // The stale start is refused once: the first start already sent the dialect's value.
            #expect(log.filter { $0.status == 400 }.count == 1)
        }
    }
}
