import NIOHTTP1
import ReleaseCore
import Testing

/// Absurd rate limit headers from a server or proxy are clamped (with a warning), never a
/// trap in a number conversion.
@Suite struct HeaderClampTests {
    /// 2024-01-01T00:00:00Z.
    static let now: Int64 = 1_704_067_200_000

    @Test(arguments: [
        "1e20", "1e308", "9223372036854775807", "9223372036854775808", "99999999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT", "Fri Dec 31 23:59:59 9999",
    ])
    func aHugeRetryAfterIsClampedToTheLongestWait(value: String) {
        #expect(RateLimitHeaders.parseRetryAfter(value, nowMillis: Self.now) == RateLimitHeaders.maximumWait)
        let parsed = RateLimitHeaders(headers: ["Retry-After": value], nowMillis: Self.now)
        #expect(parsed.retryAfter == RateLimitHeaders.maximumWait)
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings.first?.contains("Retry-After") == true)
    }

    @Test(arguments: [
        "Mon, 01 Jan 99999999999 00:00:00 GMT", "Mon, 01 Jan 9223372036854775807 00:00:00 GMT",
        "Mon, 01 Jan -9223372036854775808 00:00:00 GMT", "Mon Jan  1 00:00:00 99999999999999",
        "Monday, 01-Jan-99999999999999 00:00:00 GMT", "Mon, 01 Jan 0 00:00:00 GMT", "inf", "nan", "-inf",
    ])
    func anHTTPDateWithAnAbsurdYearIsNoDate(value: String) {
        #expect(RateLimitHeaders.parseRetryAfter(value, nowMillis: Self.now) == nil)
    }

    @Test(arguments: ["-1e300", "-9223372036854775808", "Mon, 01 Jan 0001 00:00:00 GMT"])
    func aRetryAfterInThePastIsNoWait(value: String) {
        #expect(RateLimitHeaders.parseRetryAfter(value, nowMillis: Self.now) == .zero)
    }

    @Test(arguments: [
        ("-9223372036854775808", Duration.zero), ("-1", .zero),
        ("9223372036854775807", RateLimitHeaders.maximumWait), ("\(now + 86_400_000)", RateLimitHeaders.maximumWait),
    ])
    func anAbsurdResetIsClampedWithAWarning(value: String, wait: Duration) {
        let parsed = RateLimitHeaders(
            headers: ["X-Ratelimit-Reset": value, "X-Ratelimit-Global-Remaining": "0"], nowMillis: Self.now)
        #expect(parsed.untilReset(nowMillis: Self.now) == wait)
        #expect(parsed.warnings.count == 1)
    }

    @Test func untilResetNeverOverflows() {
        #expect(RateLimitHeaders(resetAtMillis: .min).untilReset(nowMillis: .max) == .zero)
        #expect(RateLimitHeaders(resetAtMillis: .max).untilReset(nowMillis: .min) == RateLimitHeaders.maximumWait)
        #expect(RateLimitHeaders(resetAtMillis: 5).untilReset(nowMillis: .min) == RateLimitHeaders.maximumWait)
    }

    @Test func theRateLimiterTakesAbsurdHeadersOnA429() async throws {
        let limiter = RateLimiter(nowMillis: { Self.now })
        let ticket = try await limiter.acquire(route: "release")
        let headers = RateLimitHeaders(
            headers: ["X-Ratelimit-Reset": "-9223372036854775808", "Retry-After": "1e20"], nowMillis: Self.now)
        await limiter.complete(ticket, headers: headers, status: 429)
        await limiter.block(for: .seconds(Int64.max))
    }

    @Test(arguments: [
        ["Retry-After": "1e20"], ["X-Ratelimit-Reset": "-9223372036854775808"],
        ["Retry-After": "Mon, 01 Jan 99999999999 00:00:00 GMT"],
        ["X-Ratelimit-Reset": "9223372036854775807", "X-Ratelimit-Global-Remaining": "0"],
    ])
    func aClientSurvivesAbsurdHeaders(headers: [String: String]) async throws {
        let httpHeaders = HTTPHeaders(headers.map { ($0.key, $0.value) })
        // On a success, the headers are read and the call succeeds.
        let (ok, _) = try ClientRequestTests.client { _ in
            StubTransport.json(200, ClientRequestTests.releaseBody, headers: httpHeaders)
        }
        _ = try await ok.release(flag: "checkout")
        try await ok.shutdown()
        // On a 429, a wait longer than the call may take ends it at once instead of trapping.
        let (limited, transport) = try ClientRequestTests.client(retry: RetryPolicy(maxAttempts: 3)) { _ in
            StubTransport.json(429, #"{"code":"rate_limited","message":"slow down"}"#, headers: httpHeaders)
        }
        await #expect(throws: (any Error).self) { try await limited.release(flag: "checkout") }
        #expect(transport.requests.count >= 1)
        try await limited.shutdown()
    }
}
