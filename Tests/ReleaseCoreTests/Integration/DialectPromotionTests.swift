import ReleaseCore
import ReleaseSimulator
import Testing

/// The core's start and wait against both simulator dialects: a whole release, each phase
/// started once, and the dialect learned from the answers.
@Suite(.timeLimit(.minutes(1))) struct DialectPromotionTests {
    static let fast = WaitPolicy(timeout: .seconds(10), interval: .milliseconds(10))

    @Test(arguments: SimulatorDialect.allCases)
    func aReleaseGoesThroughEveryPhase(dialect: SimulatorDialect) async throws {
        var options = SimulatorHarness.Options()
        options.dialect = dialect
        try await SimulatorHarness.run(options) { server, client in
            var release = try await client.createRelease(flag: "new-checkout", pipelineKey: "standard")
            #expect(release.version == (dialect == .observed ? 0 : 1))
            while let next = PhaseSelector.next(in: release) {
                #expect(PhaseSelector.state(of: next, in: release) == .ready)
                release = try await client.startPhase(flag: "new-checkout", phaseId: next.id).release
                if next.name == "Production" {
                    try await server.approve(project: "demo", flag: "new-checkout")
                }
                release = try await client.waitForPhase(flag: "new-checkout", phase: next.id, policy: Self.fast)
                let phase = try #require(release.phases.first { $0.id == next.id })
                #expect(RolloutRule.isRolledOut(phase, in: release))
            }
            #expect(PhaseSelector.status(of: release) == .complete)
            #expect(client.dialect == (dialect == .observed ? .observed : .spec))
            #expect(client.phaseStartValue == (dialect == .observed ? "active" : "Started"))
            let starts = await server.requestLog().on(.phaseStart).filter { $0.status == 200 }
            #expect(starts.count == 3)
            #expect(Set(starts.map(\.path)).count == 3)
            // The last phase never completes in the observed dialect; it is rolled out.
            #expect(release.phases.last?.isComplete == (dialect == .spec))
        }
    }

    @Test func anObservedApprovalPhaseWaitsForTheFlagAndSaysSoOnTimeout() async throws {
        try await SimulatorHarness.run { server, client in
            _ = try await client.createRelease(flag: "new-checkout", pipelineKey: "standard")
            for phase in ["Testing", "Staging"] {
                _ = try await client.startPhase(flag: "new-checkout", phaseId: phase)
                _ = try await client.waitForPhase(flag: "new-checkout", phase: phase, policy: Self.fast)
            }
            _ = try await client.startPhase(flag: "new-checkout", phaseId: "Production")
            let short = WaitPolicy(timeout: .milliseconds(60), interval: .milliseconds(10))
            await #expect {
                try await client.waitForPhase(flag: "new-checkout", phase: "Production", policy: short)
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.kind == .timeout && error.message.contains("still pending: approval")
                    && error.message.contains("production")
            }
            try await server.approve(project: "demo", flag: "new-checkout")
            let release = try await client.waitForPhase(flag: "new-checkout", phase: "Production", policy: Self.fast)
            #expect(release.flagOn?["production"] == true)
            #expect(PhaseSelector.status(of: release) == .complete)
            // The flag is read only while a started phase needs an approval.
            let flagReads = await server.requestLog().filter { $0.route == .flagGet }
            #expect(flagReads.count >= 2)
        }
    }

    @Test(arguments: SimulatorDialect.allCases)
    func untilCompleteWaitsForCompletion(dialect: SimulatorDialect) async throws {
        var options = SimulatorHarness.Options()
        options.dialect = dialect
        try await SimulatorHarness.run(options) { _, client in
            _ = try await client.createRelease(flag: "search-v2", pipelineKey: "fast-track")
            _ = try await client.startPhase(flag: "search-v2")
            let short = WaitPolicy(timeout: .milliseconds(60), interval: .milliseconds(10))
            switch dialect {
            case .spec:
                let release = try await client.waitForPhase(
                    flag: "search-v2", phase: "Test", until: .complete, policy: Self.fast)
                #expect(release.phases[0].isComplete)
            case .observed:
                await #expect {
                    try await client.waitForPhase(flag: "search-v2", phase: "Test", until: .complete, policy: short)
                } throws: { error in
                    (error as? ReleaseError)?.kind == .timeout
                }
                _ = try await client.startPhase(flag: "search-v2", phaseId: "Production")
                let release = try await client.waitForPhase(
                    flag: "search-v2", phase: "Test", until: .complete, policy: Self.fast)
                #expect(release.phases[0].isComplete)
            }
        }
    }
}
