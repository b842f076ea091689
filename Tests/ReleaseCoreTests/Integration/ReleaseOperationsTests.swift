import ReleaseCore
import ReleaseSimulator
import Testing

/// Every release operation against the simulator over loopback.
@Suite(.timeLimit(.minutes(1))) struct ReleaseOperationsTests {
    static let fastTrackTest = "65a1f0c2e4b0a1b2c3d40011"
    static let fastTrackProduction = "65a1f0c2e4b0a1b2c3d40012"

    @Test func aFlagWithoutAReleaseReadsAsNil() async throws {
        try await SimulatorHarness.run { server, client in
            let value1 = try await client.release(flag: "dark-mode")
            #expect(value1 == nil)
            #expect(await server.requestLog().on(.releaseGet).map(\.status) == [404])
        }
    }

    @Test func releaseLifecycleFromCreateToComplete() async throws {
        try await SimulatorHarness.run { server, client in
            let created = try await client.createRelease(
                flag: "new-checkout", pipelineKey: "fast-track", releaseVariationId: "65a1f0c2e4b0a1b2c3d4v001")
            #expect(created.pipelineKey == "fast-track")
            #expect(created.releaseVariationId == "65a1f0c2e4b0a1b2c3d4v001")
            #expect(created.phases.map(\.status) == [.readyToStart, .notStarted])
            #expect(created.raw["_links"] != nil)  // fields we do not model survive
            #expect(PhaseSelector.status(of: created) == .notStarted)

            let audience = PhaseAudienceInput(audienceId: "65a1f0c2e4b0a1b2c3d4a011", notifyTeamKeys: ["qa"])
            let first = try await client.startPhase(flag: "new-checkout", audiences: [audience])
            guard case .started(let afterStart, _) = first else { throw ReleaseError(.timeout, message: "not started") }
            #expect(afterStart.phases[0].isStarted || afterStart.phases[0].isComplete)

            let ready = try #require(try await client.release(flag: "new-checkout"))
            #expect(RolloutRule.isRolledOut(ready.phases[0], in: ready))
            #expect(PhaseSelector.status(of: ready) == .ready)
            #expect(PhaseSelector.next(in: ready)?.id == Self.fastTrackProduction)

            _ = try await client.startPhase(flag: "new-checkout", phaseId: "production")
            let done = try await client.waitForPhase(
                flag: "new-checkout", phase: "Production",
                policy: WaitPolicy(timeout: .seconds(5), interval: .milliseconds(10)))
            #expect(PhaseSelector.status(of: done) == .complete)

            try await client.deleteRelease(flag: "new-checkout")
            let value2 = try await client.release(flag: "new-checkout")
            #expect(value2 == nil)
            let starts = await server.requestLog().on(.phaseStart)
            #expect(starts.map(\.body).allSatisfy { $0?.contains(#""status":"active""#) == true })
            let firstBody = try JSONValue(parsing: starts[0].body ?? "")
            #expect(firstBody["audiences"] == [["audienceId": "65a1f0c2e4b0a1b2c3d4a011", "notifyTeamKeys": ["qa"]]])
        }
    }

    @Test func startingAnAlreadyStartedPhaseSendsNothing() async throws {
        var options = SimulatorHarness.Options()
        options.phaseDuration = .seconds(3600)
        try await SimulatorHarness.run(options) { server, client in
            _ = try await client.createRelease(flag: "search-v2", pipelineKey: "standard")
            guard case .started = try await client.startPhase(flag: "search-v2") else {
                throw ReleaseError(.invalidRequest, message: "first start did not start")
            }
            let again = try await client.startPhase(flag: "search-v2", phaseId: "Testing")
            guard case .alreadyStarted(let release) = again else {
                throw ReleaseError(.invalidRequest, message: "second start was not alreadyStarted")
            }
            #expect(PhaseSelector.active(in: release)?.name == "Testing")
            #expect(await server.requestLog().on(.phaseStart).count == 1)
        }
    }

    @Test func startingAPhaseOutOfOrderIsLaunchDarklysInvalidRequest() async throws {
        try await SimulatorHarness.run { _, client in
            _ = try await client.createRelease(flag: "dark-mode", pipelineKey: "fast-track")
            do {
                _ = try await client.updatePhaseStatus(
                    flag: "dark-mode", phaseId: Self.fastTrackProduction, status: .started)
                Issue.record("expected a 400")
            } catch let error as ReleaseError {
                #expect(error.kind == .invalidRequest && error.status == 400)
                #expect(error.message.contains("cannot start"))
                #expect(error.operation == "phase.update demo/dark-mode")
                #expect(!error.isRetryable)
            }
        }
    }

    @Test func waitingForAPausedPhaseRaisesPaused() async throws {
        var options = SimulatorHarness.Options()
        options.phaseDuration = .seconds(3600)
        try await SimulatorHarness.run(options) { server, client in
            _ = try await client.createRelease(flag: "recommendations", pipelineKey: "standard")
            _ = try await client.startPhase(flag: "recommendations")
            try await server.complete(project: "demo", flag: "recommendations")
            _ = try await client.startPhase(flag: "recommendations", phaseId: "Staging")
            try await server.regress(project: "demo", flag: "recommendations")
            do {
                _ = try await client.waitForPhase(
                    flag: "recommendations", phase: "staging",
                    policy: WaitPolicy(timeout: .seconds(5), interval: .milliseconds(10)))
                Issue.record("expected paused")
            } catch let error as ReleaseError {
                #expect(error.kind == .paused)
                #expect(error.context.phaseName == "Staging")
                let status = error.context.release?["phases"]?[1]?["status"]?.stringValue
                #expect(status.map(PhaseStatus.init(rawValue:)) == .paused)
            }
            let release = try #require(try await client.release(flag: "recommendations"))
            #expect(PhaseSelector.status(of: release) == .paused)
        }
    }

    @Test func approvalGatesTheWait() async throws {
        try await SimulatorHarness.run { server, client in
            _ = try await client.createRelease(flag: "fast-shipping", pipelineKey: "standard")
            for phase in ["Testing", "Staging"] {
                _ = try await client.startPhase(flag: "fast-shipping", phaseId: phase)
                _ = try await client.waitForPhase(
                    flag: "fast-shipping", phase: phase,
                    policy: WaitPolicy(timeout: .seconds(5), interval: .milliseconds(5)))
            }
            _ = try await client.startPhase(flag: "fast-shipping")
            await #expect {
                try await client.waitForPhase(
                    flag: "fast-shipping", policy: WaitPolicy(timeout: .milliseconds(100), interval: .milliseconds(20)))
            } throws: { error in
                (error as? ReleaseError)?.kind == .timeout
                    && (error as? ReleaseError)?.context.phaseName == "Production"
            }
            try await server.approve(project: "demo", flag: "fast-shipping")
            let done = try await client.waitForPhase(
                flag: "fast-shipping", phase: "Production",
                policy: WaitPolicy(timeout: .seconds(5), interval: .milliseconds(5)))
            #expect(PhaseSelector.status(of: done) == .complete)
        }
    }

    @Test func legacyReleasesArePatched() async throws {
        try await SimulatorHarness.run { _, client in
            _ = try await client.createPipeline(
                definition: [
                    "key": "legacy", "name": "Legacy", "isLegacy": true,
                    "phases": [
                        ["name": "One", "audiences": [["name": "Test", "environmentKey": "test"]]],
                        ["name": "Two", "audiences": [["name": "Prod", "environmentKey": "production"]]],
                    ],
                ])
            _ = try await client.createRelease(flag: "dark-mode", pipelineKey: "legacy")
            let patched = try await client.patchRelease(flag: "dark-mode", operations: [.setPhaseComplete(index: 0)])
            #expect(patched.phases.map(\.isComplete) == [true, false])
            #expect(PhaseSelector.status(of: patched) == .ready)

            _ = try await client.createRelease(flag: "search-v2", pipelineKey: "fast-track")
            await #expect {
                try await client.patchRelease(flag: "search-v2", operations: [.setPhaseComplete(index: 0)])
            } throws: { error in
                (error as? ReleaseError)?.status == 400
            }
        }
    }

    @Test func releaseErrorsNameTheOperation() async throws {
        try await SimulatorHarness.run { _, client in
            await #expect {
                try await client.createRelease(flag: "no-such-flag", pipelineKey: "standard")
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.kind == .notFound && error.operation == "release.create demo/no-such-flag"
            }
            await #expect {
                try await client.deleteRelease(flag: "dark-mode")
            } throws: { error in
                (error as? ReleaseError)?.kind == .notFound
            }
            await #expect {
                try await client.startPhase(flag: "dark-mode")
            } throws: { error in
                (error as? ReleaseError)?.kind == .notFound
                    && (error as? ReleaseError)?.message.contains("no release") == true
            }
        }
    }
}
