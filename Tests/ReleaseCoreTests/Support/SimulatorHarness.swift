import Foundation
import ReleaseCore
import ReleaseSimulator

/// Runs a test body against a fresh simulator on loopback and a client pointed at it.
enum SimulatorHarness {
    /// Retries with delays of a few milliseconds, so fault tests stay fast.
    static let fastRetry = RetryPolicy(
        maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), maxTotalTime: .seconds(20),
        jitter: 0.5)

    struct Options {
        var seed: SimulatorSeed = .demo
        var phaseDuration: Duration = .zero
        var dialect: SimulatorDialect = .observed
        var rateLimit = SimulatorRateLimit()
        var faults: FaultPlan = .none
        var retry = SimulatorHarness.fastRetry
        var requestTimeout: Duration = .seconds(5)
        var pageSize = 100
        var accessToken: String?
        var records: RecordCollector?
        /// The transport's cap on response bodies (its default when nil).
        var maxBodyBytes: Int?
        var transport: ((any HTTPTransport) -> any HTTPTransport)?
    }

    static func run(
        _ options: Options = Options(), _ body: (SimulatorServer, ReleaseClient) async throws -> Void
    ) async throws {
        let server = try await SimulatorServer.start(
            SimulatorConfiguration(
                seed: options.seed, phaseDuration: options.phaseDuration, dialect: options.dialect,
                rateLimit: options.rateLimit, faults: options.faults))
        // A loopback connect is immediate; the timeout also bounds a request's wait for a
        // pooled connection, which a wide burst on a loaded machine can make long.
        let connect = Duration.seconds(10)
        var configuration = ReleaseClientConfiguration(
            accessToken: options.accessToken ?? server.accessToken, baseURL: try BaseURL(server.baseURL),
            defaultProject: "demo", timeouts: .init(connect: connect, request: options.requestTimeout),
            retry: options.retry, userAgent: "ldrun/test", pageSize: options.pageSize)
        if let records = options.records { configuration.onRequest = { records.add($0) } }
        let base =
            if let cap = options.maxBodyBytes {
                AsyncHTTPClientTransport(connectTimeout: connect, maxBodyBytes: cap)
            } else {
                AsyncHTTPClientTransport(connectTimeout: connect)
            }
        let client = try ReleaseClient(configuration: configuration, transport: options.transport?(base) ?? base)
        do {
            try await body(server, client)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
    }

    /// The demo seed plus `extraFlags` boolean flags named `flag-000`, `flag-001`, ...
    static func seed(extraFlags: Int) throws -> SimulatorSeed {
        var json = try JSONValue(parsing: SimulatorSeed.demoSeedJSON)
        guard case .array(var projects) = json["projects"], case .object(var project) = projects[0],
            case .array(var flags) = project["flags"]
        else { throw ReleaseError(.decoding, message: "unexpected demo seed shape") }
        for index in 0..<extraFlags {
            let key = "flag-" + String(repeating: "0", count: 3 - String(index).count) + String(index)
            flags.append(["key": .string(key), "name": .string(key)])
        }
        project["flags"] = .array(flags)
        projects[0] = .object(project)
        json["projects"] = .array(projects)
        return try SimulatorSeed(json: Data(json.serialized().utf8))
    }
}

extension [SimulatorRequestRecord] {
    /// The records of one simulator route.
    func on(_ route: SimulatorRoute) -> [SimulatorRequestRecord] { filter { $0.route == route } }
}
