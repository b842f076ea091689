import Foundation

/// Everything a ``SimulatorServer`` needs to start: where to listen, what data to serve,
/// how fast phases complete, which API dialect it speaks, the token it accepts, its rate
/// limit and its faults.
public struct SimulatorConfiguration: Sendable {
    /// The address to bind; loopback by default.
    public var host: String
    /// The port to bind; 0 picks any free port (read it back from ``SimulatorServer/port``).
    public var port: Int
    /// The projects, pipelines and flags served (and restored by reset).
    public var seed: SimulatorSeed
    /// How long a started phase runs: in the spec dialect it then completes (not before it is
    /// approved, if it needs approval); in the observed dialect a guarded phase's monitoring
    /// ends. `.zero`: on the next request.
    public var phaseDuration: Duration
    /// The version of the API served: ``SimulatorDialect/observed`` (what a real account
    /// answers, the default) or ``SimulatorDialect/spec`` (the published spec).
    public var dialect: SimulatorDialect
    /// The only value of the `Authorization` header the server accepts.
    public var accessToken: String
    /// The per-window request budget reported in the `X-Ratelimit-*` headers.
    public var rateLimit: SimulatorRateLimit
    /// Faults injected into matching requests.
    public var faults: FaultPlan
    /// Seeds the random draws of probabilistic faults, so a run can be replayed.
    public var randomSeed: UInt64
    /// The time releases move on by, in milliseconds since 1970: phase durations, dates in
    /// the data. Nil is the wall clock; a runbook test passes its virtual clock's.
    public var now: (@Sendable () -> Int64)? = nil
    /// Approvals, regressions and completions that happen by themselves a while after a
    /// phase starts (a runbook test's scenario).
    public var timedActions: [TimedPhaseAction] = []

    /// The token accepted when none is configured.
    public static let demoAccessToken = "sim-demo-token"

    /// Creates a configuration; every argument has a default suited to tests and demos.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        seed: SimulatorSeed = .demo,
        phaseDuration: Duration = .seconds(5),
        dialect: SimulatorDialect = .default,
        accessToken: String = SimulatorConfiguration.demoAccessToken,
        rateLimit: SimulatorRateLimit = SimulatorRateLimit(),
        faults: FaultPlan = .none,
        randomSeed: UInt64 = 0
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.phaseDuration = phaseDuration
        self.dialect = dialect
        self.accessToken = accessToken
        self.rateLimit = rateLimit
        self.faults = faults
        self.randomSeed = randomSeed
    }
}

/// The global rate limit: at most `requests` API requests per `window`, or none at all
/// (``off``, for throughput benchmarks).
public struct SimulatorRateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed per window.
    public var requests: Int
    /// The length of a window; LaunchDarkly uses ten seconds.
    public var window: Duration
    /// Whether the budget is enforced. When it is not, no request is refused for the rate
    /// and responses carry no `X-Ratelimit-*` headers.
    public var isEnforced: Bool

    /// Creates a rate limit (default 1000 requests per 10 seconds).
    public init(requests: Int = 1000, window: Duration = .seconds(10)) {
        self.requests = requests
        self.window = window
        isEnforced = true
    }

    /// No rate limit: every request is served and no budget is reported.
    public static var off: SimulatorRateLimit {
        var limit = SimulatorRateLimit()
        limit.isEnforced = false
        return limit
    }

    /// The largest budget accepted per window.
    public static let maximumRequests = 1_000_000_000

    /// Parses `off` or `REQUESTS/WINDOW`, e.g. `1000/10s` or `50/500ms` (the window as
    /// ``SimulatorDuration`` reads it; a bare number means seconds).
    public init(parsing text: String) throws(SimulatorError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "off" {
            self = .off
            return
        }
        func invalid(_ reason: String) -> SimulatorError {
            .invalidConfiguration(
                "invalid rate limit '\(text)': \(reason)expected REQUESTS/WINDOW such as 1000/10s, or off")
        }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0].trimmingCharacters(in: .whitespaces)) else {
            throw invalid("")
        }
        guard (1...Self.maximumRequests).contains(requests) else {
            throw invalid("the request count must be from 1 to \(Self.maximumRequests); ")
        }
        let window: Duration
        do {
            window = try SimulatorDuration.parse(String(parts[1]))
        } catch {
            throw invalid("the window is not a duration; ")
        }
        guard window > .zero else { throw invalid("the window must be longer than 0; ") }
        self.init(requests: requests, window: window)
    }

    /// `off`, or the budget as ``init(parsing:)`` reads it (`1000/10s`).
    public var description: String {
        isEnforced ? "\(requests)/\(SimulatorDuration.format(window))" : "off"
    }
}
