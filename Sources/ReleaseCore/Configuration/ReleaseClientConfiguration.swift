import Foundation
import Logging

/// Everything a `ReleaseClient` needs, resolved by the caller (the library never reads the
/// environment or argv).
public struct ReleaseClientConfiguration: Sendable {
    /// Connection and per-attempt time limits.
    public struct Timeouts: Sendable, Hashable {
        /// The longest to wait for a TCP (and TLS) connection.
        public var connect: Duration
        /// The longest one HTTP attempt may take, response body included.
        public var request: Duration

        public init(connect: Duration = .seconds(10), request: Duration = .seconds(30)) {
            self.connect = connect
            self.request = request
        }
    }

    /// The API access token, sent as `Authorization` to the base URL's host only.
    public var accessToken: String
    /// The API's base URL (`BaseURL.commercial`, `.eu`, `.federal` or any https URL).
    public var baseURL: BaseURL
    /// The project used when a call names none.
    public var defaultProject: String?
    public var timeouts: Timeouts
    public var retry: RetryPolicy
    /// The `User-Agent` header, `ldrun/<version>`.
    public var userAgent: String
    /// Called once per HTTP attempt, for journals and logs. Never sees the token.
    public var onRequest: (@Sendable (RequestRecord) -> Void)?
    /// Where retries and rate-limit waits are logged (debug level).
    public var logger: Logger
    /// How many items each page of a list asks for.
    public var pageSize: Int
    /// How the client waits between attempts (retry back-off, a 429's `Retry-After`, the
    /// rate limiter's pauses); nil
    /// sleeps real time. A runbook test passes its virtual clock's sleep, so a test of a
    /// rate-limited or failing API waits no real time.
    public var sleep: (@Sendable (Duration) async throws -> Void)?
    /// The wall clock, in milliseconds since 1970, that rate-limit resets are read against;
    /// nil is the system's. A runbook test passes its virtual clock's, with ``sleep``.
    public var now: (@Sendable () -> Int64)?

    public init(
        accessToken: String, baseURL: BaseURL = .commercial, defaultProject: String? = nil,
        timeouts: Timeouts = Timeouts(), retry: RetryPolicy = RetryPolicy(),
        userAgent: String = ReleaseClientConfiguration.userAgent(version: "dev"),
        onRequest: (@Sendable (RequestRecord) -> Void)? = nil,
        logger: Logger = Logger(label: "ldrun.release-core"), pageSize: Int = 100
    ) {
        self.accessToken = accessToken
        self.baseURL = baseURL
        self.defaultProject = defaultProject
        self.timeouts = timeouts
        self.retry = retry
        self.userAgent = userAgent
        self.onRequest = onRequest
        self.logger = logger
        self.pageSize = pageSize
    }

    /// `ldrun/<version>`.
    public static func userAgent(version: String) -> String { "\(ReleaseCoreInfo.product)/\(version)" }

    /// Checks that the configuration can be used.
    ///
    /// - Throws: `ReleaseError` code `config`: empty token, a token with characters that
    ///   cannot go in a header, plain http to a remote host, bad retry bounds or page size.
    public func validate() throws(ReleaseError) {
        let token = accessToken.trimmingCharacters(in: .whitespaces)
        if token.isEmpty {
            throw ReleaseError(.config, message: "no access token", hint: Self.tokenHint)
        }
        if accessToken.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ReleaseError(.config, message: "the access token contains control characters")
        }
        if baseURL.scheme != "https" && !baseURL.isLoopback {
            throw ReleaseError(.config, message: "plain http is allowed only to loopback hosts, not \(baseURL.host)")
        }
        if retry.maxAttempts < 1 || retry.extraReadAttempts < 0 || retry.baseDelay < .zero || retry.maxDelay < .zero
            || retry.maxTotalTime <= .zero
        {
            throw ReleaseError(
                .config, message: "retry policy needs maxAttempts >= 1, extraReadAttempts >= 0 and non-negative delays")
        }
        if timeouts.connect <= .zero || timeouts.request <= .zero {
            throw ReleaseError(.config, message: "timeouts must be positive")
        }
        if !(1...1000).contains(pageSize) {
            throw ReleaseError(.config, message: "page size must be between 1 and 1000")
        }
    }

    /// How to provide a token, for `unauthorized` and `config` errors.
    static let tokenHint =
        "Set an API access token with LD_ACCESS_TOKEN or --access-token "
        + "(create one under Account settings > Authorization in LaunchDarkly)"
}
