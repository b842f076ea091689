import NIOHTTP1
import ReleaseCore
import ReleaseSimulator
import Testing

/// Rate limits, server errors and dropped connections injected by the simulator.
@Suite(.timeLimit(.minutes(1))) struct RetryIntegrationTests {
    static func options(faults: String) throws -> SimulatorHarness.Options {
        var options = SimulatorHarness.Options()
        options.faults = try FaultPlan(spec: faults)
        return options
    }

    @Test func rateLimitedAttemptsDoNotUseUpTheAttemptsOfACall() async throws {
        // Two drops, two 429s and a 503 (the sequence a soak met): five attempts, four of them
        // failures that count; the sixth succeeds.
        var options = try Self.options(
            faults: "release-get:count=2:drop=before;release-get:count=2:reset=past;release-get:count=1:status=503")
        options.retry = RetryPolicy(
            maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxTotalTime: .seconds(20))
        try await SimulatorHarness.run(options) { server, client in
            let release = try await client.release(flag: "dark-mode")
            #expect(release == nil)
            let statuses = await server.requestLog().on(.releaseGet).map(\.status)
            #expect(statuses.suffix(4) == [429, 429, 503, 404], "\(statuses)")
        }
    }

    @Test func a429WaitsRetryAfterThenSucceeds() async throws {
        let records = RecordCollector()
        var options = try Self.options(faults: "release-get:count=1:retry-after=1")
        options.records = records
        try await SimulatorHarness.run(options) { server, client in
            let start = ContinuousClock.now
            let value1 = try await client.release(flag: "dark-mode")
            #expect(value1 == nil)
            #expect(ContinuousClock.now - start >= .milliseconds(950))
            #expect(await server.requestLog().on(.releaseGet).map(\.status) == [429, 404])
            #expect(records.records.map(\.willRetry) == [true, false])
        }
    }

    /// The length of the wait is `RetryDecisionTests.aResetInThePastFallsBackToBackoff`'s
    /// (a wall-clock bound here flakes on a busy machine); this proves the call goes through.
    @Test func a429WithAResetInThePastIsRetriedWithoutANegativeOrLongWait() async throws {
        try await SimulatorHarness.run(try Self.options(faults: "flag-get:count=2:reset=past")) { server, client in
            _ = try await client.flag(key: "new-checkout")
            #expect(await server.requestLog().on(.flagGet).map(\.status) == [429, 429, 200])
        }
    }

    @Test func theSimulatorsOwnRateLimitIsWaitedOut() async throws {
        var options = SimulatorHarness.Options()
        // A window long enough that the three requests below never straddle two on a busy machine.
        options.rateLimit = SimulatorRateLimit(requests: 2, window: .seconds(6))
        try await SimulatorHarness.run(options) { server, client in
            // Spend the window behind the client's back so its next request meets a 429.
            let transport = AsyncHTTPClientTransport()
            do {
                for _ in 0..<2 {
                    _ = try await transport.send(
                        TransportRequest(
                            method: .GET, url: server.baseURL + "/api/v2/flags/demo/dark-mode",
                            headers: ["Authorization": server.accessToken]),
                        timeout: .seconds(10))
                }
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
            _ = try await client.flag(key: "dark-mode")
            #expect(await server.requestLog().on(.flagGet).map(\.status).suffix(2) == [429, 200])
        }
    }

    @Test(arguments: [
        ("release-get:count=2:status=503", SimulatorRoute.releaseGet),
        ("release-get:count=2:status=500", .releaseGet),
        ("pipeline-get:count=1:status=502", .pipelineGet),
        ("pipeline-get:count=1:drop=before", .pipelineGet),
        ("pipeline-get:count=1:drop=after", .pipelineGet),
    ])
    func idempotentReadsAreRetried(faults: String, route: SimulatorRoute) async throws {
        try await SimulatorHarness.run(try Self.options(faults: faults)) { server, client in
            if route == .releaseGet {
                let value2 = try await client.release(flag: "dark-mode")
                #expect(value2 == nil)
            } else {
                let value3 = try await client.pipeline(key: "standard").key
                #expect(value3 == "standard")
            }
            let log = await server.requestLog().on(route)
            #expect(log.count >= 2)
            #expect(log.last?.fault == nil)
        }
    }

    @Test(arguments: ["status=503", "drop=after", "drop=before"])
    func nonIdempotentWritesAreNotRetriedBlindly(action: String) async throws {
        try await SimulatorHarness.run(try Self.options(faults: "pipeline-create:count=1:\(action)")) {
            server, client in
            await #expect {
                try await client.createPipeline(
                    definition: PipelineOperationsTests.definition(key: "once", name: "Once"))
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.isRetryable && error.attempts == 1
            }
            #expect(await server.requestLog().on(.pipelineCreate).count == 1)
        }
    }

    @Test func patchIsNotRetriedAfterADroppedConnection() async throws {
        try await SimulatorHarness.run(try Self.options(faults: "release-patch:count=1:drop=after")) { server, client in
            _ = try await client.createPipeline(
                definition: [
                    "key": "legacy", "name": "Legacy", "isLegacy": true,
                    "phases": [["name": "One", "audiences": [["name": "Test", "environmentKey": "test"]]]],
                ])
            _ = try await client.createRelease(flag: "dark-mode", pipelineKey: "legacy")
            await #expect {
                try await client.patchRelease(flag: "dark-mode", operations: [.setPhaseComplete(index: 0)])
            } throws: { error in
                (error as? ReleaseError)?.kind == .transport
            }
            let patches = await server.requestLog().on(.releasePatch)
            #expect(patches.count == 1 && patches[0].processed)
        }
    }

    @Test func putAndDeleteAreRetriedAndAnEarlierSuccessCounts() async throws {
        let faults =
            "release-create:count=1:drop=after;release-delete:count=1:drop=after;pipeline-replace:count=1:status=503"
        try await SimulatorHarness.run(try Self.options(faults: faults)) { server, client in
            let created = try await client.createRelease(flag: "dark-mode", pipelineKey: "fast-track")
            #expect(created.pipelineKey == "fast-track")
            try await client.deleteRelease(flag: "dark-mode")
            let value4 = try await client.release(flag: "dark-mode")
            #expect(value4 == nil)
            var replacement = PipelineOperationsTests.definition(key: "x", name: "Fast track 2")
            replacement["key"] = nil
            let value5 = try await client.replacePipeline(key: "fast-track", definition: replacement).name
            #expect(value5 == "Fast track 2")
            let log = await server.requestLog()
            #expect(log.on(.releaseCreate).count == 2)
            #expect(log.on(.releaseDelete).map(\.status) == [204, 404])
            #expect(log.on(.pipelineReplace).map(\.status) == [503, 200])
        }
    }

    @Test func retriesStopAtMaxAttempts() async throws {
        var options = try Self.options(faults: "flag-get:status=503")
        options.retry.maxAttempts = 3
        options.retry.extraReadAttempts = 2  // a read makes 3 + 2 attempts
        try await SimulatorHarness.run(options) { server, client in
            await #expect {
                try await client.flag(key: "dark-mode")
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.kind.rawValue == "internal_server_error" && error.status == 503 && error.attempts == 5
                    && error.isRetryable
            }
            #expect(await server.requestLog().on(.flagGet).count == 5)
        }
    }

    @Test func slowResponsesTimeOutAndAreRetriedThenReported() async throws {
        var options = try Self.options(faults: "flag-get:latency=400ms")
        options.requestTimeout = .milliseconds(100)
        options.retry.maxAttempts = 2
        options.retry.extraReadAttempts = 0
        try await SimulatorHarness.run(options) { server, client in
            await #expect {
                try await client.flag(key: "dark-mode")
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.kind == .timeout && error.attempts == 2 && error.operation == "flag.get demo/dark-mode"
            }
            // On a busy machine an attempt can time out before it reaches the server at all.
            #expect((1...2).contains(await server.requestLog().on(.flagGet).count))
        }
    }

    @Test func cancellingACallRaisesInterruptedPromptly() async throws {
        try await SimulatorHarness.run(try Self.options(faults: "flag-get:latency=5s")) { _, client in
            let call = Task { try await client.flag(key: "dark-mode") }
            try await Task.sleep(for: .milliseconds(100))
            let cancelledAt = ContinuousClock.now
            call.cancel()
            await #expect {
                try await call.value
            } throws: { error in
                (error as? ReleaseError)?.kind == .interrupted
            }
            #expect(ContinuousClock.now - cancelledAt < .seconds(4))
        }
    }
}

/// A response over the transport's size cap is downloaded once, not once per attempt.
@Suite struct ResponseSizeCapTests {
    @Test func aTooLargeBodyIsNotRetried() async throws {
        var options = SimulatorHarness.Options()
        options.maxBodyBytes = 64
        try await SimulatorHarness.run(options) { server, client in
            await #expect {
                try await client.pipelines()
            } throws: { error in
                guard let error = error as? ReleaseError else { return false }
                return error.kind == .transport && !error.isRetryable && error.message.contains("larger than 64 bytes")
            }
            #expect(await server.requestLog().on(.pipelineList).count == 1)
        }
    }
}
