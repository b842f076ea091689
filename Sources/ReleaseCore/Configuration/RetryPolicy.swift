/// How failed requests are retried: exponential backoff with jitter, bounded in attempts and
/// in total time. Waits asked for by the server (`Retry-After`, rate limit reset) replace the
/// backoff delay but still count against `maxTotalTime`. A 429 is not a failed attempt: the
/// server did nothing, so rate-limited waits have their own budget (`maxRateLimitWaits`)
/// and do not use up `maxAttempts`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call that may fail other than by a 429, the first included (1 disables
    /// retries).
    public var maxAttempts: Int
    /// How many times one call may wait out a 429 and try again.
    public var maxRateLimitWaits: Int
    /// How many more failed attempts a read (GET) may make than `maxAttempts`: trying a read
    /// again changes nothing, and the run usually cannot go on without its answer. Still
    /// bounded by `maxTotalTime`.
    public var extraReadAttempts: Int
    /// The delay before the first retry.
    public var baseDelay: Duration
    /// The longest delay between two attempts.
    public var maxDelay: Duration
    /// The longest a call may take, retries and waits included; no retry starts past it.
    public var maxTotalTime: Duration
    /// The fraction (0...1) of each backoff delay that is randomised: a delay `d` becomes a
    /// random value in `d * (1 - jitter) ... d`.
    public var jitter: Double

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(10),
        maxTotalTime: Duration = .seconds(60), jitter: Double = 0.5, maxRateLimitWaits: Int = 12,
        extraReadAttempts: Int = 3
    ) {
        self.maxAttempts = maxAttempts
        self.extraReadAttempts = extraReadAttempts
        self.maxRateLimitWaits = maxRateLimitWaits
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1, maxRateLimitWaits: 0, extraReadAttempts: 0)

    /// The failed attempts a call may make: `maxAttempts`, plus `extraReadAttempts` for a read.
    public func attempts(read: Bool) -> Int { maxAttempts + (read ? max(0, extraReadAttempts) : 0) }

    /// The backoff delay after failed attempt number `attempt` (1-based), given a random
    /// value in 0..<1.
    public func backoffDelay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = max(0, min(attempt - 1, 30))
        let raw = baseDelay * (1 << exponent)
        let capped = min(raw, maxDelay)
        let fraction = 1 - min(max(jitter, 0), 1) * min(max(random, 0), 1)
        return capped * fraction
    }
}
