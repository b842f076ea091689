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
    /// `Retry-After` as a wait from `nowMillis` (never negative, at most ``maximumWait``).
    public var retryAfter: Duration?
    /// What was absurd in the headers and clamped (a `Retry-After` of `1e20`, a reset at
    /// `-9223372036854775808`); the rate limiter logs these as warnings.
    public var warnings: [String] = []

    /// The longest wait a server can impose through `Retry-After` or `X-Ratelimit-Reset`;
    /// longer values are clamped to it (and a warning recorded).
    public static let maximumWait: Duration = .seconds(3600)
    private static let maximumWaitMillis: Int64 = 3_600_000

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
        if let text = headers.first(name: "X-Ratelimit-Reset"), let reset = Int64(text.trimmed) {
            let (ahead, overflow) = reset.subtractingReportingOverflow(nowMillis)
            if reset < 0 || overflow || ahead > Self.maximumWaitMillis {
                let clamped = reset < 0 ? 0 : Self.saturatingAdd(nowMillis, Self.maximumWaitMillis)
                warnings.append(
                    "X-Ratelimit-Reset '\(text.trimmed)' is out of range; using \(clamped) "
                        + "(at most \(Self.maximumWaitMillis / 1000)s from now)")
                resetAtMillis = clamped
            } else {
                resetAtMillis = reset
            }
        }
        if let text = headers.first(name: "Retry-After") {
            let (wait, clamped) = Self.readRetryAfter(text, nowMillis: nowMillis)
            retryAfter = wait
            if clamped {
                warnings.append(
                    "Retry-After '\(text.trimmed)' is out of range; waiting \(Self.maximumWaitMillis / 1000)s at most")
            }
        }
    }

    /// Whether the response carried any rate limit information.
    public var isEmpty: Bool { globalRemaining == nil && routeRemaining == nil && resetAtMillis == nil }

    /// The time until the reset, zero when the reset is in the past, `nil` without a reset.
    public func untilReset(nowMillis: Int64) -> Duration? {
        resetAtMillis.map { reset in
            let (ahead, overflow) = reset.subtractingReportingOverflow(nowMillis)
            if overflow { return reset < nowMillis ? .zero : Self.maximumWait }
            return .milliseconds(min(max(0, ahead), Self.maximumWaitMillis))
        }
    }

    /// Parses `Retry-After`: delay seconds (`120`, also `1.5`) or an HTTP date
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`). A date in the past gives zero.
    /// A wait longer than ``maximumWait`` is clamped to it.
    public static func parseRetryAfter(_ value: String, nowMillis: Int64) -> Duration? {
        readRetryAfter(value, nowMillis: nowMillis).wait
    }

    /// `Retry-After` as a wait, and whether it was clamped to ``maximumWait``.
    static func readRetryAfter(_ value: String, nowMillis: Int64) -> (wait: Duration?, clamped: Bool) {
        let text = value.trimmed
        let millis: Int64
        var clamped = false
        if let seconds = Double(text), !text.lowercased().contains("n") {  // no "nan", "inf"
            guard seconds.isFinite else { return (maximumWait, true) }
            let wanted = max(0, seconds) * 1000
            clamped = wanted > Double(maximumWaitMillis)
            millis = clamped ? maximumWaitMillis : Int64(wanted)
        } else if let dateMillis = HTTPDate.parse(text) {
            let (ahead, overflow) = dateMillis.subtractingReportingOverflow(nowMillis)
            clamped = overflow || ahead > maximumWaitMillis
            millis = clamped ? maximumWaitMillis : max(0, ahead)
        } else {
            return (nil, false)
        }
        return (.milliseconds(millis), clamped)
    }

    private static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
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
