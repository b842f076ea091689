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

    @Option(help: "Faults to inject, e.g. 'phase-start:count=2:status=503' (see docs/simulator.md).")
    var faults: String?

    @Option(help: "Seed of the random draws of probabilistic faults.")
    var randomSeed: UInt64 = 0

    @Option(help: "The access token the simulator accepts.")
    var accessToken = SimulatorConfiguration.demoAccessToken

    func run() async throws {
        let configuration: SimulatorConfiguration
        do {
            configuration = SimulatorConfiguration(
                port: port,
                seed: try seed.map { try SimulatorSeed(contentsOf: URL(fileURLWithPath: $0)) } ?? .demo,
                phaseDuration: try SimulatorDuration.parse(phaseDuration),
                accessToken: accessToken,
                faults: try faults.map { try FaultPlan(spec: $0) } ?? .none,
                randomSeed: randomSeed
            )
        } catch let error as SimulatorError {
            throw ValidationError(error.message)
        }
        let server = try await SimulatorServer.start(configuration)
        let lines = """
            export LD_BASE_URI=\(server.baseURL) LD_ACCESS_TOKEN=\(server.accessToken)
            # release API simulator listening; press Ctrl-C to stop

            """
        // Written unbuffered, so that a script reading the first line sees it at once.
        FileHandle.standardOutput.write(Data(lines.utf8))
        await Self.waitForTerminationSignal()
        await server.stop()
    }

    /// Returns once SIGINT or SIGTERM arrives.
    private static func waitForTerminationSignal() async {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
