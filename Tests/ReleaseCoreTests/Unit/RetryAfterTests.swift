import NIOHTTP1
import ReleaseCore
import Testing

@Suite struct RetryAfterTests {
    /// 2024-01-01T00:00:00Z.
    static let now: Int64 = 1_704_067_200_000

    @Test(arguments: [
        ("120", Duration.seconds(120)),
        (" 0 ", .zero),
        ("-5", .zero),
        ("1.5", .milliseconds(1500)),
        ("Mon, 01 Jan 2024 00:00:30 GMT", .seconds(30)),
        ("Monday, 01-Jan-24 00:01:00 GMT", .seconds(60)),
        ("Mon Jan  1 00:00:10 2024", .seconds(10)),
        ("Sun, 31 Dec 2023 23:59:00 GMT", .zero),
    ])
    func parsesSecondsAndHTTPDates(value: String, expected: Duration) {
        #expect(RateLimitHeaders.parseRetryAfter(value, nowMillis: Self.now) == expected)
    }

    @Test(arguments: ["soon", "", "Mon, 32 Jan 2024 00:00:00 GMT", "Mon, 01 Foo 2024 00:00:00 GMT"])
    func rejectsNonsense(value: String) {
        #expect(RateLimitHeaders.parseRetryAfter(value, nowMillis: Self.now) == nil)
    }

    @Test func readsTheRateLimitHeaders() {
        let headers: HTTPHeaders = [
            "X-Ratelimit-Global-Remaining": "7", "X-Ratelimit-Route-Remaining": "3",
            "X-Ratelimit-Reset": "\(Self.now + 2500)", "Retry-After": "4",
        ]
        let parsed = RateLimitHeaders(headers: headers, nowMillis: Self.now)
        #expect(parsed.globalRemaining == 7 && parsed.routeRemaining == 3)
        #expect(parsed.retryAfter == .seconds(4))
        #expect(parsed.untilReset(nowMillis: Self.now) == .milliseconds(2500))
    }

    @Test func aResetInThePastIsNoNegativeWait() {
        let parsed = RateLimitHeaders(headers: ["X-Ratelimit-Reset": "\(Self.now - 5000)"], nowMillis: Self.now)
        #expect(parsed.untilReset(nowMillis: Self.now) == .zero)
    }
}
