import ReleaseCore
import ReleaseSimulator
import Testing

/// The shared limiter keeps a burst of concurrent calls inside the simulator's budget.
@Suite(.timeLimit(.minutes(1))) struct RateLimiterIntegrationTests {
    @Test func twoHundredConcurrentCallsOnAHundredBudgetCauseNo429() async throws {
        var options = SimulatorHarness.Options()
        options.rateLimit = SimulatorRateLimit(requests: 100, window: .seconds(2))
        // A loaded machine must not turn slow answers into timeouts and retries: every
        // request in the log is then one call's only attempt.
        options.requestTimeout = .seconds(30)
        try await SimulatorHarness.run(options) { server, client in
            let flags = ["new-checkout", "dark-mode", "search-v2", "recommendations", "fast-shipping"]
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<200 {
                    group.addTask { try await client.flag(key: flags[index % flags.count]).key }
                }
                var keys: [String] = []
                for try await key in group { keys.append(key) }
                #expect(keys.count == 200)
            }
            let log = await server.requestLog()
            #expect(log.count == 200)
            #expect(!log.contains { $0.status == 429 })
        }
    }
}
