/// Decides whether a failed attempt is tried again and after how long (pure, so it is tested
/// without a server).
///
/// - 429: always retried (the server did not act); waits `Retry-After`, else until the rate
///   limit reset when that is in the future, else the backoff delay.
/// - 5xx: retried only when ambiguous failures may be retried (GET, PUT, DELETE), with backoff.
/// - No connection: always retried with backoff (nothing was sent).
/// - Timeout or dropped connection: like 5xx.
/// - A response body over the transport's cap: never (it would be downloaded again).
/// - Never past `maxAttempts` failed attempts (429s not counted; a read may make
///   `extraReadAttempts` more), past `maxRateLimitWaits` 429s, or when the wait would end after
///   `maxTotalTime`.
enum RetryDecision {
    /// What one attempt ended with.
    enum Outcome {
        case response(status: Int, rateLimit: RateLimitHeaders)
        case transport(TransportError)
    }

    /// - Parameters:
    ///   - attempt: the failed attempts so far that count against `maxAttempts` (429s do not),
    ///     this one included unless it is a 429.
    ///   - rateLimitWaits: the 429s this call has waited out so far, not counting this one.
    ///   - isRead: whether the call is a read (GET), which may fail more often.
    static func delay(
        after outcome: Outcome, retriesAmbiguousFailures: Bool, attempt: Int, rateLimitWaits: Int = 0,
        elapsed: Duration, policy: RetryPolicy, nowMillis: Int64, random: Double, isRead: Bool = false
    ) -> Duration? {
        let backoff = policy.backoffDelay(afterAttempt: attempt, random: random)
        let wait: Duration
        switch outcome {
        case .response(let status, let rateLimit) where status == 429:
            if let retryAfter = rateLimit.retryAfter {
                wait = retryAfter
            } else if let untilReset = rateLimit.untilReset(nowMillis: nowMillis), untilReset > .zero {
                wait = untilReset
            } else {
                wait = backoff
            }
            guard rateLimitWaits < policy.maxRateLimitWaits, elapsed + wait <= policy.maxTotalTime else { return nil }
            return wait
        case .response(let status, _) where isRetryableServerStatus(status):
            guard retriesAmbiguousFailures else { return nil }
            wait = backoff
        case .response:
            return nil
        case .transport(let error) where error.kind == .responseTooLarge:
            return nil
        case .transport(let error):
            guard !error.mayHaveBeenSent || retriesAmbiguousFailures else { return nil }
            wait = backoff
        }
        guard attempt < policy.attempts(read: isRead), elapsed + wait <= policy.maxTotalTime else { return nil }
        return wait
    }

    /// 500, 502, 503 and 504: statuses where trying again may succeed.
    static func isRetryableServerStatus(_ status: Int) -> Bool {
        [500, 502, 503, 504].contains(status)
    }
}
