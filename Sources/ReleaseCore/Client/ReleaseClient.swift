import Foundation
import Logging
import Synchronization

/// The LaunchDarkly Releases and Release pipelines client that every runbook function calls.
///
/// One instance holds one connection pool and one `RateLimiter`, shared by all concurrent
/// calls. Every method throws `ReleaseError` only. Methods take the project as an optional
/// argument and fall back to `configuration.defaultProject`.
public final class ReleaseClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: ReleaseClientConfiguration
    let transport: any HTTPTransport
    /// The limiter shared by every call of this client.
    public let rateLimiter: RateLimiter
    let nowMillis: @Sendable () -> Int64
    /// What this client has learned of the server's dialect.
    let learned = Mutex(LearnedDialect())

    /// Creates a client; `transport` defaults to an `AsyncHTTPClientTransport`.
    ///
    /// - Throws: `ReleaseError` code `config` when `configuration.validate()` fails.
    public init(configuration: ReleaseClientConfiguration, transport: (any HTTPTransport)? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.transport = transport ?? AsyncHTTPClientTransport(connectTimeout: configuration.timeouts.connect)
        let nowMillis: @Sendable () -> Int64 =
            configuration.now ?? { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
        self.nowMillis = nowMillis
        self.rateLimiter = RateLimiter(logger: configuration.logger, nowMillis: nowMillis, sleep: configuration.sleep)
    }

    /// Closes the connection pool. Call once, after the last request.
    public func shutdown() async throws {
        do {
            try await transport.shutdown()
        } catch {
            throw ReleaseError(.transport, message: "shutting down the HTTP client failed: \(error)")
        }
    }

    /// The project to use: `project`, else the default project.
    ///
    /// - Throws: `ReleaseError` code `config` when neither is set.
    func resolveProject(_ project: String?, operation: String) throws(ReleaseError) -> String {
        if let project, !project.isEmpty { return project }
        if let project = configuration.defaultProject, !project.isEmpty { return project }
        throw ReleaseError(
            .config, message: "no project given and no default project configured", operation: operation,
            hint: "pass a project, or set --project / LD_PROJECT")
    }

    var logger: Logger { configuration.logger }

    /// The dialect the latest release this client read or wrote spoke, if any told.
    public var dialect: APIDialect? { learned.withLock { $0.dialect } }

    /// The `status` value a start is sent with first: the one the server last accepted, or,
    /// before any start was accepted, `active` (docs/launchdarkly-api.md). ``startPhase``
    /// sends the start value of the dialect the release to start shows when no start has
    /// been accepted yet.
    public var phaseStartValue: String { learned.withLock { $0.startValue ?? APIDialect.observed.startValue } }

    /// The value to send first to start a phase of `release`: the one the server last
    /// accepted; before that, the start value of the dialect the release's status spellings
    /// show (a server that spells statuses as the spec does takes `Started`), else `active`.
    public func firstStartValue(for release: Release) -> String {
        if let accepted = learned.withLock({ $0.startValue }) { return accepted }
        return (APIDialect.of(release) ?? .observed).startValue
    }

    /// Notes the dialect a release shows.
    func observe(_ release: Release) {
        guard let dialect = APIDialect.of(release) else { return }
        learned.withLock { $0.dialect = dialect }
    }
}

/// What a client has learned of its server: the dialect last seen and the start value the
/// server accepts.
struct LearnedDialect: Sendable {
    var dialect: APIDialect?
    /// The start value the server last accepted.
    var startValue: String?
}
