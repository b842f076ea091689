/// The faults a simulator injects: an ordered list of rules, each matching some
/// requests and saying what goes wrong with them. Written as text with
/// ``init(spec:)`` (the `--faults` syntax, see `docs/simulator.md`) or built from ``FaultRule``s.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// The rules, tried in order for every API request.
    public var rules: [FaultRule]

    /// No faults.
    public static let none = FaultPlan(rules: [])

    /// A plan of typed rules.
    public init(rules: [FaultRule]) {
        self.rules = rules
    }

    /// Parses rules separated by `;`, e.g. `phase-start:flag=checkout:count=2:status=503`.
    public init(spec: String) throws(SimulatorError) {
        rules = try FaultSpecParser.parse(spec)
    }

    /// The plan in the text syntax ``init(spec:)`` reads.
    public var description: String { rules.map(\.description).joined(separator: ";") }
}

/// One fault: which requests it hits, how often, and what happens to them.
public struct FaultRule: Sendable, Equatable, CustomStringConvertible {
    /// The route it targets; `nil` targets every API route.
    public var route: SimulatorRoute?
    /// Only requests for this flag, when set.
    public var flagKey: String?
    /// How many or which share of the matching requests it hits.
    public var trigger: FaultTrigger
    /// What happens to a hit request.
    public var action: FaultAction

    /// Creates a rule; by default it targets every route and every flag, every time.
    public init(
        route: SimulatorRoute? = nil,
        flagKey: String? = nil,
        trigger: FaultTrigger = .always,
        action: FaultAction
    ) {
        self.route = route
        self.flagKey = flagKey
        self.trigger = trigger
        self.action = action
    }

    public var description: String {
        var parts = [route?.rawValue ?? "any"]
        if let flagKey { parts.append("flag=\(flagKey)") }
        switch trigger {
        case .always: break
        case .count(let count): parts.append("count=\(count)")
        case .probability(let probability): parts.append("p=\(probability)")
        }
        parts.append(action.description)
        return parts.joined(separator: ":")
    }

    func matches(route: SimulatorRoute, flagKey: String?) -> Bool {
        (self.route == nil || self.route == route) && (self.flagKey == nil || self.flagKey == flagKey)
    }
}

/// How often a rule hits.
public enum FaultTrigger: Sendable, Equatable {
    /// Every matching request.
    case always
    /// The next `n` matching requests, then never again.
    case count(Int)
    /// Each matching request with this probability (0...1), drawn from the seeded generator.
    case probability(Double)
}

/// What happens to a request a rule hits.
public enum FaultAction: Sendable, Equatable, CustomStringConvertible {
    /// Answer with this status (500, 502, 503...) and an error body; nothing is processed.
    case status(Int)
    /// Answer 429 `rate_limited` with `Retry-After: seconds`.
    case rateLimited(retryAfterSeconds: Int)
    /// Answer 429 `rate_limited` with an `X-Ratelimit-Reset` already in the past.
    case rateLimitedResetInPast
    /// Wait this long, then process the request normally (later rules still apply).
    case latency(Duration)
    /// Close the connection without processing the request.
    case dropBeforeProcessing
    /// Process the request (its change happens), then close the connection without answering.
    case dropAfterProcessing

    public var description: String {
        switch self {
        case .status(let status): "status=\(status)"
        case .rateLimited(let seconds): "retry-after=\(seconds)"
        case .rateLimitedResetInPast: "reset=past"
        case .latency(let duration): "latency=\(SimulatorDuration.format(duration))"
        case .dropBeforeProcessing: "drop=before"
        case .dropAfterProcessing: "drop=after"
        }
    }
}
