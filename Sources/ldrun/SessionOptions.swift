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

    @Option(
        help: """
            The most memory the runbook's Lua code may use, e.g. 512MiB, 1GiB or 1000000 (bytes); \
            past it, Lua raises 'not enough memory'. At least 1MiB (default: 1GiB).
            """
    )
    var memoryLimit: String?

    func validate() throws {
        if let memoryLimit {
            let bytes: Int
            do {
                bytes = try ByteSize.parse(memoryLimit)
            } catch {
                throw ValidationError("--memory-limit: \(error.message)")
            }
            guard bytes >= 1 << 20 else {
                throw ValidationError("--memory-limit must be at least 1MiB, got '\(memoryLimit)'")
            }
        }
        for folder in lib {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ValidationError("--lib: no such folder '\(folder)'")
            }
        }
    }

    /// Flags, environment and these options resolved into run settings.
    func settings(connection: ConnectionOptions) -> RunSettings {
        let environment = ProcessInfo.processInfo.environment
        let events = StreamEventSink(
            format: logFormat, minimumLevel: verbose ? .debug : .info, environment: environment)
        var settings = RunSettings(connection: connection, environment: environment, events: events)
        settings.configuration.dryRun = dryRun
        settings.configuration.confirmation = yes ? .assumeYes : (isatty(0) != 0 ? .ask(TerminalPrompt.ask) : .refuse)
        settings.configuration.libraryFolders = lib + settings.libraryPathFromEnvironment
        if let memoryLimit, let bytes = try? ByteSize.parse(memoryLimit) {
            settings.configuration.memoryLimit = bytes
        }
        settings.configuration.journalPath =
            journal ?? Journal.defaultPath(environment: environment, simulated: connection.simulate)
        return settings
    }
}

extension StreamEventSink.Format: ExpressibleByArgument {}
