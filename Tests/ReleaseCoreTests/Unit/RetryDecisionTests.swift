import Testing

@testable import ReleaseCore

@Suite struct RetryDecisionTests {
    static let policy = RetryPolicy(
        maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxTotalTime: .seconds(10), jitter: 0.5)
    static let now: Int64 = 1_000_000

    static func delay(
        _ outcome: RetryDecision.Outcome, idempotent: Bool = true, attempt: Int = 1, rateLimitWaits: Int = 0,
        elapsed: Duration = .zero
    ) -> Duration? {
        RetryDecision.delay(
            after: outcome, retriesAmbiguousFailures: idempotent, attempt: attempt, rateLimitWaits: rateLimitWaits,
            elapsed: elapsed, policy: policy, nowMillis: now, random: 0)
    }

    @Test(arguments: [
        (500, true, true), (502, true, true), (503, true, true), (504, true, true),
        (500, false, false), (503, false, false),
        (400, true, false), (401, true, false), (404, true, false), (409, true, false), (501, true, false),
    ])
    func serverStatuses(status: Int, idempotent: Bool, retried: Bool) {
        let delay = Self.delay(.response(status: status, rateLimit: .init()), idempotent: idempotent)
        #expect((delay != nil) == retried)
    }

    @Test(arguments: [true, false])
    func rateLimitedIsRetriedForEveryMethod(idempotent: Bool) {
        let retryAfter = RateLimitHeaders(retryAfter: .seconds(2))
        #expect(Self.delay(.response(status: 429, rateLimit: retryAfter), idempotent: idempotent) == .seconds(2))
    }

    /// A read may fail `extraReadAttempts` (3 by default) more times than a write before it
    /// gives up; no retries at all means none for reads either.
    @Test func readsMayFailMoreOftenThanWrites() {
        let unavailable = RetryDecision.Outcome.response(status: 503, rateLimit: .init())
        func retried(_ policy: RetryPolicy, attempt: Int, read: Bool) -> Bool {
            RetryDecision.delay(
                after: unavailable, retriesAmbiguousFailures: true, attempt: attempt, elapsed: .zero, policy: policy,
                nowMillis: Self.now, random: 0, isRead: read) != nil
        }
        #expect(retried(Self.policy, attempt: 3, read: false))
        #expect(!retried(Self.policy, attempt: 4, read: false))
        #expect(retried(Self.policy, attempt: 6, read: true))
        #expect(!retried(Self.policy, attempt: 7, read: true))
        #expect(!retried(.none, attempt: 1, read: true))
    }

    @Test func rateLimitedWaitsForTheResetWhenThereIsNoRetryAfter() {
        let reset = RateLimitHeaders(globalRemaining: 0, resetAtMillis: Self.now + 1500)
        #expect(Self.delay(.response(status: 429, rateLimit: reset)) == .milliseconds(1500))
    }

    @Test func aResetInThePastFallsBackToBackoff() {
        let past = RateLimitHeaders(globalRemaining: 0, resetAtMillis: Self.now - 5000)
        #expect(Self.delay(.response(status: 429, rateLimit: past)) == .milliseconds(100))
    }

    @Test(arguments: [
        (TransportError.Kind.connectFailed, false, true),
        (.connectFailed, true, true),
        (.timeout, true, true),
        (.timeout, false, false),
        (.connectionLost, true, true),
        (.connectionLost, false, false),
        (.other, false, false),
    ])
    func transportFailures(kind: TransportError.Kind, idempotent: Bool, retried: Bool) {
        let delay = Self.delay(.transport(TransportError(kind, detail: "x")), idempotent: idempotent)
        #expect((delay != nil) == retried)
    }

    @Test func boundedByAttemptsAndTotalTime() {
        let failure = RetryDecision.Outcome.response(status: 503, rateLimit: .init())
        #expect(Self.delay(failure, attempt: 3) != nil)
        #expect(Self.delay(failure, attempt: 4) == nil)
        #expect(Self.delay(failure, elapsed: .milliseconds(9950)) == nil)
        let longRetryAfter = RetryDecision.Outcome.response(status: 429, rateLimit: .init(retryAfter: .seconds(60)))
        #expect(Self.delay(longRetryAfter) == nil)
    }

    @Test func a429IsNotAFailedAttemptAndHasItsOwnBudget() {
        let limited = RetryDecision.Outcome.response(status: 429, rateLimit: .init(retryAfter: .seconds(1)))
        // Every failed attempt already spent: a 429 is still waited out.
        #expect(Self.delay(limited, attempt: Self.policy.maxAttempts) == .seconds(1))
        #expect(Self.delay(limited, rateLimitWaits: Self.policy.maxRateLimitWaits - 1) == .seconds(1))
        #expect(Self.delay(limited, rateLimitWaits: Self.policy.maxRateLimitWaits) == nil)
        #expect(RetryPolicy.none.maxRateLimitWaits == 0)
        #expect(
            RetryDecision.delay(
                after: limited, retriesAmbiguousFailures: true, attempt: 1, elapsed: .zero, policy: .none,
                nowMillis: Self.now, random: 0) == nil)
    }

    @Test func backoffIsExponentialCappedAndJittered() {
        let policy = Self.policy
        #expect(policy.backoffDelay(afterAttempt: 1, random: 0) == .milliseconds(100))
        #expect(policy.backoffDelay(afterAttempt: 2, random: 0) == .milliseconds(200))
        #expect(policy.backoffDelay(afterAttempt: 3, random: 0) == .milliseconds(400))
        #expect(policy.backoffDelay(afterAttempt: 6, random: 0) == .seconds(1))
        #expect(policy.backoffDelay(afterAttempt: 60, random: 0) == .seconds(1))
        #expect(policy.backoffDelay(afterAttempt: 2, random: 1) == .milliseconds(100))
        #expect(policy.backoffDelay(afterAttempt: 2, random: 0.5) == .milliseconds(150))
    }
}
