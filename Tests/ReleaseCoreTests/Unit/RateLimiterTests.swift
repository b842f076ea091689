import Foundation
import ReleaseCore
import Testing

/// The limiter's bookkeeping, with real (short) waits: windows of a few hundred milliseconds.
@Suite(.timeLimit(.minutes(1))) struct RateLimiterTests {
    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func limiter() -> RateLimiter { RateLimiter(nowMillis: { nowMillis() }) }

    @Test func untilTheFirstResponseOnlyOneRequestIsInFlight() async throws {
        let limiter = Self.limiter()
        let first = try await limiter.acquire(route: "GET /x")
        let second = Task {
            _ = try await limiter.acquire(route: "GET /y")
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(50))
        let firstAnswered = ContinuousClock.now
        await limiter.complete(first, headers: RateLimitHeaders(), status: 200)
        #expect(try await second.value >= firstAnswered)
    }

    @Test func aLimitLearnedFromAStaleResponseStillGatesTheNextWindow() async throws {
        let limiter = Self.limiter()
        let first = try await limiter.acquire(route: "GET /x")
        // The first answer arrives after its window ended (a slow response on a busy machine).
        await limiter.complete(
            first, headers: RateLimitHeaders(globalRemaining: 50, resetAtMillis: Self.nowMillis() - 10), status: 200)
        let probe = try await limiter.acquire(route: "GET /x")
        let second = Task {
            _ = try await limiter.acquire(route: "GET /x")
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(60))
        let probeAnswered = ContinuousClock.now
        await limiter.complete(
            probe, headers: RateLimitHeaders(globalRemaining: 5, resetAtMillis: Self.nowMillis() + 1_000), status: 200)
        #expect(try await second.value >= probeAnswered)
    }

    @Test func withoutRateLimitHeadersNothingIsHeldBack() async throws {
        let limiter = Self.limiter()
        let probe = try await limiter.acquire(route: "GET /x")
        await limiter.complete(probe, headers: RateLimitHeaders(), status: 200)
        let start = ContinuousClock.now
        var tickets: [RateLimiter.Ticket] = []
        for _ in 0..<50 { tickets.append(try await limiter.acquire(route: "GET /x")) }
        for ticket in tickets { await limiter.complete(ticket, headers: RateLimitHeaders(), status: 200) }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func aSpentBudgetWaitsForTheReset() async throws {
        let limiter = Self.limiter()
        let first = try await limiter.acquire(route: "GET /x")
        let reset = Self.nowMillis() + 300
        await limiter.complete(first, headers: RateLimitHeaders(globalRemaining: 2, resetAtMillis: reset), status: 200)
        _ = try await limiter.acquire(route: "GET /x")
        _ = try await limiter.acquire(route: "GET /y")
        let before = Self.nowMillis()
        _ = try await limiter.acquire(route: "GET /x")
        #expect(Self.nowMillis() >= reset)
        #expect(Self.nowMillis() - before >= 250)
    }

    @Test func routeBudgetsAreSeparate() async throws {
        let limiter = Self.limiter()
        let first = try await limiter.acquire(route: "PUT /a")
        let reset = Self.nowMillis() + 5_000
        await limiter.complete(first, headers: RateLimitHeaders(routeRemaining: 0, resetAtMillis: reset), status: 200)
        let start = ContinuousClock.now
        _ = try await limiter.acquire(route: "GET /b")
        #expect(ContinuousClock.now - start < .seconds(4))
        let blocked = Task { try await limiter.acquire(route: "PUT /a") }
        try await Task.sleep(for: .milliseconds(50))
        blocked.cancel()
        await #expect(throws: CancellationError.self) { _ = try await blocked.value }
    }

    @Test func whileTheBudgetIsUnknownOnlyOneProbeIsInFlight() async throws {
        let limiter = Self.limiter()
        // Learn that the server limits, in a window that has already ended.
        let seed = try await limiter.acquire(route: "GET /x")
        await limiter.complete(
            seed, headers: RateLimitHeaders(globalRemaining: 5, resetAtMillis: Self.nowMillis() + 10), status: 200)
        try await Task.sleep(for: .milliseconds(50))
        let probe = try await limiter.acquire(route: "GET /x")
        let second = Task {
            _ = try await limiter.acquire(route: "GET /x")
            return ContinuousClock.now
        }
        try await Task.sleep(for: .milliseconds(60))
        let probeAnswered = ContinuousClock.now
        await limiter.complete(
            probe, headers: RateLimitHeaders(globalRemaining: 5, resetAtMillis: Self.nowMillis() + 1_000), status: 200)
        let secondSent = try await second.value
        #expect(secondSent >= probeAnswered)
        #expect(secondSent - probeAnswered < .seconds(10))
    }

    @Test func a429BlocksEveryoneForRetryAfter() async throws {
        let limiter = Self.limiter()
        let ticket = try await limiter.acquire(route: "GET /x")
        await limiter.complete(ticket, headers: RateLimitHeaders(retryAfter: .milliseconds(200)), status: 429)
        let before = Self.nowMillis()
        _ = try await limiter.acquire(route: "GET /other")
        #expect(Self.nowMillis() - before >= 180)
    }
}
