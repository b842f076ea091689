/// The global request budget: `requests` per window; the window starts with its first request.
actor RateLimiter {
    /// The state reported in the `X-Ratelimit-*` headers.
    struct Status: Sendable, Equatable {
        /// Whether the request that asked may go ahead.
        var allowed: Bool
        /// Requests left in the current window.
        var remaining: Int
        /// When the window ends, in epoch milliseconds.
        var resetMilliseconds: Int64
    }

    private let limit: SimulatorRateLimit
    private var windowEnd: Int64 = 0
    private var used = 0

    init(_ limit: SimulatorRateLimit) {
        self.limit = limit
    }

    /// Spends one request of the budget, if any is left.
    func consume(now: Int64) -> Status {
        rollWindow(now: now)
        guard used < limit.requests else { return Status(allowed: false, remaining: 0, resetMilliseconds: windowEnd) }
        used += 1
        return Status(allowed: true, remaining: limit.requests - used, resetMilliseconds: windowEnd)
    }

    /// The current state, without spending anything.
    func peek(now: Int64) -> Status {
        rollWindow(now: now)
        return Status(allowed: used < limit.requests, remaining: limit.requests - used, resetMilliseconds: windowEnd)
    }

    /// Forgets the current window.
    func reset() {
        windowEnd = 0
        used = 0
    }

    private func rollWindow(now: Int64) {
        guard now >= windowEnd else { return }
        windowEnd = now + limit.window.milliseconds
        used = 0
    }
}
