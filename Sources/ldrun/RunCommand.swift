import ArgumentParser
import Foundation
import RunbookHost

/// `ldrun run FILE`: runs a runbook.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a runbook.",
        discussion: """
            Flags win over environment variables (LD_ACCESS_TOKEN, LD_BASE_URI, LD_PROJECT, \
            LDRUN_PATH). Exit status: 0 done, 1 the runbook failed, 2 usage, configuration or \
            syntax error, 130 interrupted.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(
        name: [.customShort("a"), .customLong("arg")], help: "A runbook option key=value, as args.key (repeatable).")
    var runbookOptions: [String] = []

    @OptionGroup var options: SessionOptions

    @Option(help: "Stop the whole run after this long, e.g. 90s, 10m, 1h.")
    var timeout: String?

    @Argument(help: "The runbook (a Lua 5.4 file).")
    var file: String

    @Argument(parsing: .postTerminator, help: "Arguments for the runbook, after --, as args[1], args[2], ...")
    var arguments: [String] = []

    func validate() throws {
        for option in runbookOptions where !option.contains("=") || option.hasPrefix("=") {
            throw ValidationError("-a expects key=value, got '\(option)'")
        }
        if let timeout {
            do {
                _ = try RunbookDuration.parseChecked(timeout)
            } catch {
                throw ValidationError(
                    "--timeout expects a duration such as 90s, 10m or 1h, got '\(timeout)': \(error.message)")
            }
        }
    }

    func run() async throws {
        var settings = options.settings(connection: connection)
        for option in runbookOptions {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            settings.configuration.arguments[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        settings.configuration.positionalArguments = arguments
        settings.configuration.timeout = timeout.flatMap(RunbookDuration.parse)

        let outcome = await settings.withHost { host in
            let interrupts = InterruptHandler { host.cancel() }
            defer { interrupts.stop() }
            return await host.run(file: file).outcome
        }
        if let report = outcome.report {
            FileHandle.standardError.write(Data("ldrun: \(report)\n".utf8))
        }
        throw ExitCode(outcome.exitCode)
    }
}
