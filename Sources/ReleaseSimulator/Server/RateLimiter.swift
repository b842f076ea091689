/// The global request budget: `requests` per window; the window starts with its first request.
/// A limit that is not enforced allows everything and reports nothing.
actor RateLimiter {
    /// The state reported in the `X-Ratelimit-*` headers.
    struct Status: Sendable, Equatable {
        /// Whether the request that asked may go ahead.
        var allowed: Bool
        /// Requests left in the current window.
        var remaining: Int
        /// When the window ends, in epoch milliseconds.
        var resetMilliseconds: Int64
        /// Whether the budget is reported at all (not when the limit is off).
        var isReported = true

        static let unlimited = Status(allowed: true, remaining: 0, resetMilliseconds: 0, isReported: false)
    }

    private let limit: SimulatorRateLimit
    private var windowEnd: Int64 = 0
    private var used = 0

    init(_ limit: SimulatorRateLimit) {
        self.limit = limit
    }

    /// Spends one request of the budget, if any is left.
    func consume(now: Int64) -> Status {
        guard limit.isEnforced else { return .unlimited }
        rollWindow(now: now)
        guard used < limit.requests else { return Status(allowed: false, remaining: 0, resetMilliseconds: windowEnd) }
        used += 1
        return Status(allowed: true, remaining: limit.requests - used, resetMilliseconds: windowEnd)
    }

    /// The current state, without spending anything.
    func peek(now: Int64) -> Status {
        guard limit.isEnforced else { return .unlimited }
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
