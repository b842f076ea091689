import ArgumentParser
import Foundation
import RunbookHost

/// Options shared by `run` and `repl`: how writes, questions, output and modules behave.
struct SessionOptions: ParsableArguments {
    @Flag(help: "Read from the server but send no write; print the plan of writes.")
    var dryRun = false

    @Flag(help: "Answer yes to every confirm() question.")
    var yes = false

    @Option(
        help: """
            Append the journal of writes here (default: $XDG_STATE_HOME/ldrun/journal.jsonl, \
            or simulated-journal.jsonl with --simulate).
            """
    )
    var journal: String?

    @Option(help: "Progress format on stderr: human or json.")
    var logFormat: StreamEventSink.Format = .human

    @Flag(name: .shortAndLong, help: "Log one debug line per HTTP request (never the token).")
    var verbose = false

    @Option(help: "A folder of Lua modules for require (repeatable; searched first).")
    var lib: [String] = []

    /// Flags, environment and these options resolved into run settings.
    func settings(connection: ConnectionOptions) -> RunSettings {
        let environment = ProcessInfo.processInfo.environment
        let events = StreamEventSink(
            format: logFormat, minimumLevel: verbose ? .debug : .info, environment: environment)
        var settings = RunSettings(connection: connection, environment: environment, events: events)
        settings.configuration.dryRun = dryRun
        settings.configuration.confirmation = yes ? .assumeYes : (isatty(0) != 0 ? .ask(TerminalPrompt.ask) : .refuse)
        settings.configuration.libraryFolders = lib + settings.libraryPathFromEnvironment
        settings.configuration.journalPath =
            journal ?? Journal.defaultPath(environment: environment, simulated: connection.simulate)
        return settings
    }
}

extension StreamEventSink.Format: ExpressibleByArgument {}
