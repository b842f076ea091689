/// How long and how often to poll while waiting for something.
///
/// The first check happens at once; after each unsuccessful check the waiter sleeps `interval`
/// (less up to `jitter` of it, at random), then multiplies the interval by `backoff`, capped
/// at `maxInterval`. The last sleep is shortened so one final check happens at the deadline.
public struct WaitPolicy: Sendable, Hashable {
    /// The longest the whole wait may take.
    public var timeout: Duration
    /// The pause after the first unsuccessful check.
    public var interval: Duration
    /// The factor applied to the interval after each check (1 = fixed interval).
    public var backoff: Double
    /// The longest pause between checks.
    public var maxInterval: Duration
    /// The fraction (0...1) of each pause that is randomised.
    public var jitter: Double

    public init(
        timeout: Duration = .seconds(600), interval: Duration = .seconds(5), backoff: Double = 1,
        maxInterval: Duration = .seconds(60), jitter: Double = 0
    ) {
        self.timeout = timeout
        self.interval = interval
        self.backoff = backoff
        self.maxInterval = maxInterval
        self.jitter = jitter
    }

    /// The pause after check number `check` (1-based), before jitter.
    public func interval(afterCheck check: Int) -> Duration {
        var pause = interval
        var remaining = max(0, check - 1)
        while remaining > 0 && pause < maxInterval {
            pause = pause * max(backoff, 1)
            remaining -= 1
        }
        return min(pause, max(maxInterval, interval))
    }
}
