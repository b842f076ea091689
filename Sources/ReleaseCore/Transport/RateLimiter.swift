import Logging

/// Holds requests back so that concurrent calls spend LaunchDarkly's rate limit budget
/// instead of collecting 429s. One instance is shared by every call of a `ReleaseClient`.
///
/// It learns the budget from `X-Ratelimit-Global-Remaining`, `X-Ratelimit-Route-Remaining`
/// and `X-Ratelimit-Reset` and reserves one unit per request before sending it. When a
/// budget is spent, requests wait for the window's reset. When the budget is unknown (at the
/// start, and after a window has reset) only one request is sent, as a probe, until a response
/// tells the new budget. A 429 blocks every request until its `Retry-After` or reset.
/// Until the first response arrives, only that first request is in flight; after it, a
/// server that sends no rate limit headers is not slowed down at all.
public actor RateLimiter {
    private struct Window {
        var remaining: Int
        var resetAtMillis: Int64
    }

    /// A reservation handed out by `acquire`, returned to `complete`.
    public struct Ticket: Sendable {
        let route: String
        let probesGlobal: Bool
        let probesRoute: Bool
        let probesServer: Bool
    }

    private var firstResponseSeen = false
    private var firstProbeInFlight = false
    private var global: Window?
    private var routes: [String: Window] = [:]
    private var sawGlobalLimit = false
    private var routesWithLimits: Set<String> = []
    private var globalProbeInFlight = false
    private var routeProbesInFlight: Set<String> = []
    private var inFlight = 0
    private var blockedUntilMillis: Int64 = 0
    private let nowMillis: @Sendable () -> Int64
    private let logger: Logger

    /// How long after the announced reset a new window is assumed to have begun (clock skew).
    let resetMargin: Int64 = 25
    /// The longest window believed: a reset further ahead (clock skew, a bad header) is cut to this.
    let maximumWindow: Int64 = 60_000
    /// How often a request waiting for a probe checks again.
    let probePollInterval: Duration = .milliseconds(5)

    /// - Parameter sleep: how to wait for budget; nil sleeps real time.
    public init(
        logger: Logger = Logger(label: "ldrun.rate-limiter"), nowMillis: @escaping @Sendable () -> Int64,
        sleep: (@Sendable (Duration) async throws -> Void)? = nil
    ) {
        self.logger = logger
        self.nowMillis = nowMillis
        self.sleep = sleep
    }

    private let sleep: (@Sendable (Duration) async throws -> Void)?

    /// Waits until a request on `route` may be sent and reserves budget for it.
    ///
    /// - Throws: `CancellationError` if the task is cancelled while waiting.
    public func acquire(route: String) async throws -> Ticket {
        while true {
            try Task.checkCancellation()
            if let wait = waitBeforeSending(route: route) {
                if let sleep { try await sleep(wait) } else { try await Task.sleep(for: wait) }
                continue
            }
            let probesServer = !firstResponseSeen
            let probesGlobal = sawGlobalLimit && global == nil
            let probesRoute = routesWithLimits.contains(route) && routes[route] == nil
            if probesServer { firstProbeInFlight = true }
            if probesGlobal { globalProbeInFlight = true }
            if probesRoute { routeProbesInFlight.insert(route) }
            global?.remaining -= 1
            routes[route]?.remaining -= 1
            inFlight += 1
            return Ticket(
                route: route, probesGlobal: probesGlobal, probesRoute: probesRoute, probesServer: probesServer)
        }
    }

    /// How long to wait before trying to reserve again, or `nil` to send now.
    private func waitBeforeSending(route: String) -> Duration? {
        let now = nowMillis()
        if blockedUntilMillis > now { return .milliseconds(blockedUntilMillis - now) }
        if !firstResponseSeen && firstProbeInFlight { return probePollInterval }
        if let window = global, now >= window.resetAtMillis + resetMargin { global = nil }
        if let window = routes[route], now >= window.resetAtMillis + resetMargin { routes[route] = nil }
        if let window = global, window.remaining <= 0 {
            return .milliseconds(window.resetAtMillis + resetMargin - now)
        }
        if let window = routes[route], window.remaining <= 0 {
            return .milliseconds(window.resetAtMillis + resetMargin - now)
        }
        if sawGlobalLimit && global == nil && globalProbeInFlight { return probePollInterval }
        if routesWithLimits.contains(route) && routes[route] == nil && routeProbesInFlight.contains(route) {
            return probePollInterval
        }
        return nil
    }

    /// Records what the response to a reserved request said about the budget; `headers` is
    /// `nil` when no response arrived.
    public func complete(_ ticket: Ticket, headers: RateLimitHeaders?, status: Int?) {
        inFlight -= 1
        if ticket.probesGlobal { globalProbeInFlight = false }
        if ticket.probesRoute { routeProbesInFlight.remove(ticket.route) }
        if ticket.probesServer { firstProbeInFlight = false }
        guard let headers else { return }
        for warning in headers.warnings {
            logger.warning("absurd rate limit header clamped: \(warning)", metadata: ["route": "\(ticket.route)"])
        }
        firstResponseSeen = true
        // The server has limits even when this response's window is already over (a slow
        // response): from now on, a new window is probed before requests are let through.
        if headers.globalRemaining != nil { sawGlobalLimit = true }
        if headers.routeRemaining != nil { routesWithLimits.insert(ticket.route) }
        let now = nowMillis()
        if let announced = headers.resetAtMillis, announced > now {
            let reset = min(announced, now + maximumWindow)
            if let remaining = headers.globalRemaining {
                sawGlobalLimit = true
                global = merged(global, remaining: remaining, reset: reset)
            }
            if let remaining = headers.routeRemaining {
                routesWithLimits.insert(ticket.route)
                routes[ticket.route] = merged(routes[ticket.route], remaining: remaining, reset: reset)
            }
        }
        if status == 429 {
            let wait = headers.retryAfter ?? headers.untilReset(nowMillis: now) ?? .zero
            block(for: min(wait, .milliseconds(maximumWindow)))
        }
    }

    /// The budget after a response: the lower of our count and the server's within one
    /// window; in a new window the server's count less the requests still in flight.
    private func merged(_ window: Window?, remaining: Int, reset: Int64) -> Window {
        guard let window, window.resetAtMillis == reset else {
            return Window(remaining: remaining - inFlight, resetAtMillis: reset)
        }
        return Window(remaining: min(window.remaining, remaining), resetAtMillis: reset)
    }

    /// Holds every request back for `wait` (after a 429).
    public func block(for wait: Duration) {
        guard wait > .zero else { return }
        let capped = min(wait, RateLimitHeaders.maximumWait)
        let until = nowMillis() + Int64((capped.seconds * 1000).rounded(.up))
        if until > blockedUntilMillis {
            blockedUntilMillis = until
            logger.debug("rate limited: holding requests back", metadata: ["wait": "\(wait)"])
        }
    }
}
