import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost
import RunbookTesting

/// Resolves flags and environment variables into a host configuration (flags win), and
/// starts the in-process simulator for `--simulate`.
struct RunSettings {
    var configuration: RunbookHostConfiguration
    let connection: ConnectionOptions
    let environment: [String: String]
    private var configurationError: String?

    init(connection: ConnectionOptions, environment: [String: String], events: any RunEventSink) {
        self.connection = connection
        self.environment = environment
        let token = connection.accessToken ?? environment["LD_ACCESS_TOKEN"] ?? ""
        var client = ReleaseClientConfiguration(
            accessToken: token, userAgent: ReleaseClientConfiguration.userAgent(version: LdrunVersion.current))
        client.defaultProject = connection.project ?? environment["LD_PROJECT"]
        do {
            if let instance = connection.instance {
                client.baseURL = instance.baseURL
            } else if let uri = connection.baseUri ?? environment["LD_BASE_URI"], !uri.isEmpty {
                client.baseURL = try BaseURL(uri)
            }
        } catch {
            configurationError = error.description
        }
        // What the core logs reaches the operator as run events, in the run's own format.
        client.logger = EventLogHandler.logger(label: "ldrun.release-core", sink: events)
        configuration = RunbookHostConfiguration(client: client, events: events)
    }

    /// Why the connection options cannot be used (a malformed base URI), if they cannot.
    var configurationProblem: String? { configurationError }

    /// `LDRUN_PATH`, `;`-separated.
    var libraryPathFromEnvironment: [String] {
        (environment["LDRUN_PATH"] ?? "").split(separator: ";").map(String.init).filter { !$0.isEmpty }
    }

    /// Runs `body` with a host for these settings; with `--simulate`, against a simulator
    /// started for the occasion (its admin calls exposed to runbooks as `sim.*`).
    func withHost(_ body: (RunbookHost) async -> RunOutcome) async -> RunOutcome {
        if let configurationError { return .rejected(configurationError) }
        // Without a token the run still starts: the first API call raises a `config` error.
        guard connection.simulate else { return await body(RunbookHost(configuration: configuration)) }
        let server: SimulatorServer
        var configuration = configuration
        switch await startSimulator() {
        case .failure(let problem): return .rejected(problem.message)
        case .success(let (started, client)):
            server = started
            configuration.client = client
        }
        let dialect = server.dialect
        configuration.events.emit(
            RunEvent(
                level: .info, name: "simulator",
                message: "simulator listening on \(server.baseURL) (project demo, dialect \(dialect))",
                fields: ["base_uri": .string(server.baseURL), "dialect": .string(dialect.rawValue)]))
        let host = RunbookHost(configuration: configuration)
        SimulatorFunctions.register(server, on: host, project: configuration.client.defaultProject ?? "demo")
        let outcome = await body(host)
        await server.stop()
        return outcome
    }

    /// Why `--simulate` could not start its simulator.
    struct SimulatorProblem: Error {
        var message: String
    }

    /// Starts the simulator `--simulate` asks for (phase duration, dialect and rate limit from the
    /// options, the demo seed) and returns it with the client configuration pointed at it.
    func startSimulator() async -> Result<(SimulatorServer, ReleaseClientConfiguration), SimulatorProblem> {
        guard let phaseDuration = RunbookDuration.parse(connection.simPhaseDuration) else {
            return .failure(.init(message: "--sim-phase-duration expects a duration such as 0, 500ms or 2s"))
        }
        let server: SimulatorServer
        do {
            server = try await SimulatorServer.start(
                SimulatorConfiguration(
                    phaseDuration: phaseDuration, dialect: connection.simulatorDialect,
                    rateLimit: connection.simulatorRateLimit))
        } catch {
            return .failure(.init(message: "cannot start the simulator: \(error)"))
        }
        var client = configuration.client
        do {
            client.baseURL = try BaseURL(server.baseURL)
        } catch {
            await server.stop()
            return .failure(.init(message: error.description))
        }
        client.accessToken = server.accessToken
        client.defaultProject = client.defaultProject ?? "demo"
        return .success((server, client))
    }
}
