import ArgumentParser
import Foundation
import RunbookHost

/// `ldrun repl`: one-off operations, interactively, with the whole runbook API.
struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Run runbook code interactively.",
        discussion: """
            Each entry runs as a task with the runbook API (release.get, phase.start, ...); \
            globals persist between entries. An expression prints its value (=expr works too); \
            an unfinished statement continues on the next line. Ctrl-C interrupts the running \
            entry; Ctrl-D leaves.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var options: SessionOptions

    func run() async throws {
        let settings = options.settings(connection: connection)

        let outcome = await settings.withHost { host in
            let session: RunbookSession
            do throws(LuaError) {
                session = try host.makeSession()
            } catch {
                return .rejected(error.message)
            }
            let interrupts = InterruptHandler(exitOnSecond: false) { host.cancel() }
            defer { interrupts.stop() }
            let ended = await Repl(session: session, reader: LineReader(interactive: isatty(0) != 0)).loop()
            await session.close()
            return ended
        }
        if let report = outcome.report {
            FileHandle.standardError.write(Data("ldrun: \(report)\n".utf8))
        }
        throw ExitCode(outcome.exitCode)
    }
}

/// The read-eval-print loop over a session: the session gives entries the standalone Lua
/// interpreter's meaning; this reads lines, continues unfinished entries, and prints.
struct Repl {
    let session: RunbookSession
    let reader: LineReader

    /// Reads and runs entries until end of input (`.succeeded`) or an `os.exit` (`.exited`).
    func loop() async -> RunOutcome {
        print("ldrun \(LdrunVersion.current) (\(LuaState.version)); Ctrl-D to leave")
        while var entry = await reader.read(prompt: "> ") {
            if entry.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            while session.isIncomplete(entry: entry), let more = await reader.read(prompt: ">> ") {
                entry += "\n" + more
            }
            let execution = await session.evaluate(entry: entry)
            if case .exited = execution.outcome { return execution.outcome }
            if !execution.outcome.isRejected { reader.remember(entry) }  // history keeps what compiled
            if case .succeeded = execution.outcome {
                if !execution.results.isEmpty { print(execution.results.joined(separator: "\t")) }
            } else if let report = execution.outcome.report {
                FileHandle.standardError.write(Data((report + "\n").utf8))
            }
        }
        print()
        return .succeeded
    }
}
