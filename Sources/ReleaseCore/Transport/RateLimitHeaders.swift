import NIOHTTP1

/// What a response says about rate limits (LaunchDarkly's `X-Ratelimit-*` headers and
/// `Retry-After`).
public struct RateLimitHeaders: Sendable, Hashable {
    /// `X-Ratelimit-Global-Remaining`: requests left in the account's window.
    public var globalRemaining: Int?
    /// `X-Ratelimit-Route-Remaining`: requests left for this route in the window.
    public var routeRemaining: Int?
    /// `X-Ratelimit-Reset`: when the window resets, in Unix milliseconds.
    public var resetAtMillis: Int64?
    /// `Retry-After` as a wait from `nowMillis` (never negative).
    public var retryAfter: Duration?

    public init(
        globalRemaining: Int? = nil, routeRemaining: Int? = nil, resetAtMillis: Int64? = nil,
        retryAfter: Duration? = nil
    ) {
        self.globalRemaining = globalRemaining
        self.routeRemaining = routeRemaining
        self.resetAtMillis = resetAtMillis
        self.retryAfter = retryAfter
    }

    /// Reads the headers; unparsable values are ignored.
    public init(headers: HTTPHeaders, nowMillis: Int64) {
        globalRemaining = headers.first(name: "X-Ratelimit-Global-Remaining").flatMap { Int($0.trimmed) }
        routeRemaining = headers.first(name: "X-Ratelimit-Route-Remaining").flatMap { Int($0.trimmed) }
        resetAtMillis = headers.first(name: "X-Ratelimit-Reset").flatMap { Int64($0.trimmed) }
        retryAfter = headers.first(name: "Retry-After").flatMap {
            Self.parseRetryAfter($0, nowMillis: nowMillis)
        }
    }

    /// Whether the response carried any rate limit information.
    public var isEmpty: Bool { globalRemaining == nil && routeRemaining == nil && resetAtMillis == nil }

    /// The time until the reset, zero when the reset is in the past, `nil` without a reset.
    public func untilReset(nowMillis: Int64) -> Duration? {
        resetAtMillis.map { .milliseconds(max(0, $0 - nowMillis)) }
    }

    /// Parses `Retry-After`: delay seconds (`120`, also `1.5`) or an HTTP date
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`). A date in the past gives zero.
    public static func parseRetryAfter(_ value: String, nowMillis: Int64) -> Duration? {
        let text = value.trimmed
        if let seconds = Int64(text) { return .seconds(max(0, seconds)) }
        if let seconds = Double(text), seconds.isFinite { return .milliseconds(Int64(max(0, seconds) * 1000)) }
        guard let dateMillis = HTTPDate.parse(text) else { return nil }
        return .milliseconds(max(0, dateMillis - nowMillis))
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
