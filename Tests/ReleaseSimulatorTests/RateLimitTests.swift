import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Rate limiting")
struct RateLimitTests {
    @Test("every response carries the remaining budget and the reset time in epoch ms")
    func headers() async throws {
        let configuration = SimulatorConfiguration(
            phaseDuration: .zero, dialect: .spec, rateLimit: SimulatorRateLimit(requests: 5))
        try await SimulatorHarness.run(configuration) { sim async throws in
            let before = Int64(Date().timeIntervalSince1970 * 1_000)
            var remaining: [Int] = []
            for _ in 0..<3 {
                let response = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines")
                remaining.append(Int(response.headers.first(name: "X-Ratelimit-Global-Remaining") ?? "") ?? -1)
                let after = Int64(Date().timeIntervalSince1970 * 1_000)
                let reset = Int64(response.headers.first(name: "X-Ratelimit-Reset") ?? "") ?? 0
                // The window opened with the first request, between `before` and now.
                #expect(reset >= before + 10_000 && reset <= after + 10_000)
            }
            #expect(remaining == [4, 3, 2])
            let error = try await sim.send(.GET, "/api/v2/flags/demo/dark-mode/release")
            #expect(error.status == 404)
            #expect(error.headers.first(name: "X-Ratelimit-Global-Remaining") == "1")
            let unauthorized = try await sim.send(.GET, "/api/v2/projects/demo/release-pipelines", token: "bad")
            #expect(unauthorized.headers.first(name: "X-Ratelimit-Global-Remaining") == "1")
        }
    }

    @Test("an exhausted budget is a 429 rate_limited until the window resets")
    func exhausted() async throws {
        let limit = SimulatorRateLimit(requests: 2, window: .seconds(4))
        try await SimulatorHarness.run(SimulatorConfiguration(rateLimit: limit)) { sim async throws in
            let path = "/api/v2/projects/demo/release-pipelines"
            #expect(try await sim.send(.GET, path).status == 200)
            #expect(try await sim.send(.GET, path).status == 200)
            let limited = try await sim.send(.GET, path)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(limited.headers.first(name: "X-Ratelimit-Global-Remaining") == "0")
            let retryAfter = try #require(Int(limited.headers.first(name: "Retry-After") ?? ""))
            #expect((1...4).contains(retryAfter))
            #expect(try await sim.send(.GET, "/_sim/requests").status == 200)
            let reset = try #require(Int64(limited.headers.first(name: "X-Ratelimit-Reset") ?? ""))
            let wait = reset - Int64(Date().timeIntervalSince1970 * 1_000) + 20
            try await Task.sleep(for: .milliseconds(max(0, wait)))
            #expect(try await sim.send(.GET, path).status == 200)
        }
    }

    @Test("reset starts a new window")
    func resetRestoresBudget() async throws {
        let limit = SimulatorRateLimit(requests: 1, window: .seconds(60))
        try await SimulatorHarness.run(SimulatorConfiguration(rateLimit: limit)) { sim async throws in
            let path = "/api/v2/projects/demo/release-pipelines"
            #expect(try await sim.send(.GET, path).status == 200)
            #expect(try await sim.send(.GET, path).status == 429)
            await sim.server.reset()
            #expect(try await sim.send(.GET, path).status == 200)
        }
    }

    @Test("a limit that is off serves every request and reports no budget")
    func off() async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(rateLimit: .off)) { sim async throws in
            let path = "/api/v2/projects/demo/release-pipelines"
            for _ in 0..<12 {
                let response = try await sim.send(.GET, path)
                #expect(response.status == 200)
                #expect(response.headers.first(name: "X-Ratelimit-Global-Remaining") == nil)
                #expect(response.headers.first(name: "X-Ratelimit-Reset") == nil)
            }
        }
    }

    @Test(
        "a rate limit is read from REQUESTS/WINDOW or off",
        arguments: [
            ("1000/10s", SimulatorRateLimit(requests: 1000, window: .seconds(10))),
            (" 50/500ms ", SimulatorRateLimit(requests: 50, window: .milliseconds(500))),
            ("3/2", SimulatorRateLimit(requests: 3, window: .seconds(2))),
            ("off", SimulatorRateLimit.off),
            ("OFF", SimulatorRateLimit.off),
        ]
    )
    func parses(text: String, expected: SimulatorRateLimit) throws {
        let limit = try SimulatorRateLimit(parsing: text)
        #expect(limit == expected)
        #expect(try SimulatorRateLimit(parsing: limit.description) == limit)
    }

    @Test(
        "a malformed rate limit is refused with the value and what was expected",
        arguments: ["", "fast", "1000", "1000/", "/10s", "0/10s", "-5/10s", "10/0s", "10/-1s", "10/10s/2", "1e3/10s"]
    )
    func refusesMalformed(text: String) {
        #expect {
            _ = try SimulatorRateLimit(parsing: text)
        } throws: { error in
            guard let error = error as? SimulatorError else { return false }
            return error.code == "invalid_configuration" && error.message.contains("'\(text)'")
        }
    }
}
