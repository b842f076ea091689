import ArgumentParser
import Foundation
import ReleaseSimulator

/// `ldrun simulate`: serves the release API simulator until interrupted.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Serve a local LaunchDarkly release API simulator.",
        discussion: "Prints the environment to point ldrun at it, then serves until Ctrl-C."
    )

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "A JSON seed file (default: the built-in demo seed).")
    var seed: String?

    @Option(help: "How long a started phase takes to complete, e.g. 0, 500ms, 5s, 2m.")
    var phaseDuration = "5s"

    @Option(help: "The API dialect: observed (what a real account answers) or spec (the published spec).")
    var dialect = SimulatorDialect.default

    @Option(help: "The global rate limit: REQUESTS/WINDOW such as 1000/10s (the default), or off.")
    var rateLimit = SimulatorRateLimit().description

    @Option(help: "Faults to inject, e.g. 'phase-start:count=2:status=503' (see docs/simulator.md).")
    var faults: String?

    @Option(help: "Seed of the random draws of probabilistic faults.")
    var randomSeed: UInt64 = 0

    @Option(help: "The access token the simulator accepts.")
    var accessToken = SimulatorConfiguration.demoAccessToken

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port expects a port number from 0 to 65535, got \(port)")
        }
        _ = try SimulatorRateLimit(option: "--rate-limit", rateLimit)
    }

    func run() async throws {
        let configuration: SimulatorConfiguration
        do {
            configuration = SimulatorConfiguration(
                port: port,
                seed: try seed.map { try SimulatorSeed(contentsOf: URL(fileURLWithPath: $0)) } ?? .demo,
                phaseDuration: try SimulatorDuration.parse(phaseDuration),
                dialect: dialect,
                accessToken: accessToken,
                rateLimit: try SimulatorRateLimit(option: "--rate-limit", rateLimit),
                faults: try faults.map { try FaultPlan(spec: $0) } ?? .none,
                randomSeed: randomSeed
            )
        } catch let error as SimulatorError {
            throw ValidationError(error.message)
        }
        // Listen for the signals before printing, so that one sent as soon as the first
        // line is read is not lost.
        let signals = TerminationSignals()
        let server = try await SimulatorServer.start(configuration)
        let lines = """
            export LD_BASE_URI=\(server.baseURL) LD_ACCESS_TOKEN=\(server.accessToken)
            # release API simulator listening (dialect \(server.dialect)); press Ctrl-C to stop

            """
        // Written unbuffered, so that a script reading the first line sees it at once.
        FileHandle.standardOutput.write(Data(lines.utf8))
        await signals.wait()
        await server.stop()
    }
}

/// SIGINT and SIGTERM, caught from creation on (instead of ending the process).
private final class TerminationSignals {
    private let signals: AsyncStream<Int32>
    private var sources: [any DispatchSourceSignal] = []

    init() {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.signals = signals
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns once one of the signals arrived (or had arrived).
    func wait() async {
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}

extension SimulatorRateLimit {
    /// The limit an option (`--rate-limit`, `--sim-rate-limit`) names; anything else is a
    /// usage error naming the option and the value.
    init(option: String, _ text: String) throws(ValidationError) {
        do {
            try self.init(parsing: text)
        } catch {
            throw ValidationError("\(option): \(error.message)")
        }
    }
}

/// `--dialect` and `--sim-dialect` take `observed` or `spec`; anything else is a usage
/// error naming the option and the valid values.
extension SimulatorDialect: ExpressibleByArgument {}
