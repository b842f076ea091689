import ArgumentParser
import Foundation
import ReleaseCore
import ReleaseSimulator
import RunbookHost

/// `ldrun doctor`: read-only checks of the account ldrun would talk to.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the connection, token, project and API dialect, without changing anything.",
        discussion: """
            Sends only GET requests. Each check prints one line: pass, warn or fail, and why. \
            The access token is never shown. Exit status: 0 when no check fails, 1 when one \
            does, 2 for a usage or configuration error.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print each check as a JSON line ({\"check\", \"result\", \"detail\"}).")
    var json = false

    func run() async throws {
        let settings = RunSettings(
            connection: connection, environment: ProcessInfo.processInfo.environment, events: SilentEvents())
        if let problem = settings.configurationProblem { throw Self.usage(problem) }
        var client = settings.configuration.client
        var server: SimulatorServer?
        if connection.simulate {
            switch await settings.startSimulator() {
            case .failure(let problem): throw Self.usage(problem.message)
            case .success(let (started, simulated)):
                server = started
                client = simulated
            }
        } else if client.accessToken.isEmpty {
            throw Self.usage("no access token: set LD_ACCESS_TOKEN or pass --access-token (or try --simulate)")
        }
        // A check answers quickly or says why; it does not wait out a long retry budget.
        client.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200), maxDelay: .seconds(1))
        client.timeouts = .init(connect: .seconds(3), request: .seconds(15))
        let checks: [DoctorCheck]
        do {
            let releaseClient = try ReleaseClient(configuration: client)
            checks = await AccountDoctor(client: releaseClient).run()
            try? await releaseClient.shutdown()
        } catch {
            await server?.stop()
            throw Self.usage("\(error)")
        }
        await server?.stop()
        for check in checks {
            print(json ? Self.jsonLine(check) : check.description)
        }
        throw ExitCode(checks.contains { $0.result == .fail } ? 1 : 0)
    }

    static func jsonLine(_ check: DoctorCheck) -> String {
        JSONValue.object([
            "check": .string(check.name), "result": .string(check.result.rawValue), "detail": .string(check.detail),
        ]).serialized(sortedKeys: true)
    }

    static func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("ldrun doctor: \(message)\n".utf8))
        return ExitCode(2)
    }
}

/// Drops every event: the doctor prints its own lines.
private struct SilentEvents: RunEventSink {
    func emit(_ event: RunEvent) {}
}
