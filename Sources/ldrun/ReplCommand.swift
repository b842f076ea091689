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
            an unfinished statement continues on the next line; `_` holds the first result of \
            the last entry that returned one, and `:full` shows it without depth limits. `:help` \
            lists the API, `:help NAME` shows one entry. A task started with spawn keeps running \
            between prompts; a line says when it ends, and `:tasks` lists those still running. Ctrl-C interrupts the running entry, or at the \
            prompt drops the line typed; Ctrl-D leaves. When standard input is not a terminal, it is run as one script, as \
            `lua5.4 -` does: no banner, and the first uncaught error ends it (exit status 1).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var options: SessionOptions

    func run() async throws {
        let settings = options.settings(connection: connection)
        let outcome = isatty(STDIN_FILENO) != 0 ? await interactive(settings) : await piped(settings)
        if let report = outcome.report {
            FileHandle.standardError.write(Data("ldrun: \(report)\n".utf8))
        }
        throw ExitCode(outcome.exitCode)
    }

    /// Runs standard input as one chunk named `stdin`, as a runbook run does.
    private func piped(_ settings: RunSettings) async -> RunOutcome {
        // As `lua5.4 -` does: a byte order mark and a first `#` line (`#!...`) are skipped.
        let bytes = LuaState.skippingFilePrefix(Array(FileHandle.standardInput.readDataToEndOfFile()))
        let script = String(decoding: bytes, as: UTF8.self)
        return await settings.withHost { host in
            let interrupts = InterruptHandler { host.cancel() }
            defer { interrupts.stop() }
            return await host.run(source: script, name: "stdin").outcome
        }
    }

    /// Reads entries from the terminal until Ctrl-D or `os.exit`.
    private func interactive(_ settings: RunSettings) async -> RunOutcome {
        await settings.withHost { host in
            let session: RunbookSession
            do throws(LuaError) {
                session = try host.makeSession()
            } catch {
                return .rejected(error.message)
            }
            let completer = SessionCompleter(session: session)
            let reader = LineReader(
                interactive: true, historyPath: LineReader.defaultHistoryPath(environment: settings.environment),
                complete: { completer.session.completions(for: $0) })
            session.keepsSpawnedTasksRunning = true
            session.announceBackgroundTaskEnd = { reader.announce($0) }
            // What background tasks log while the prompt waits is shown above it.
            if let sink = settings.configuration.events as? StreamEventSink, isatty(STDERR_FILENO) != 0 {
                sink.divert { reader.announceAtPrompt($0) }
            }
            // Ctrl-C interrupts the running entry, or, at the prompt, drops the line typed
            // (and stops a background task that keeps Lua busy).
            let interruptBackground = session.interruptRunningCode
            let interrupts = InterruptHandler(exitOnSecond: false) {
                host.cancel()
                if reader.interruptPrompt() { interruptBackground() }
            }
            defer { interrupts.stop() }
            let banner = ReplBanner.text(
                version: LdrunVersion.current, luaVersion: LuaState.version, configuration: host.configuration)
            let repl = Repl(session: session, reader: reader, banner: banner, dryRun: host.configuration.dryRun)
            let ended = await repl.loop()
            let running = session.describeRunningTasks().count
            if running > 0 {
                FileHandle.standardError.write(
                    Data("stopping \(running) background task\(running == 1 ? "" : "s")\n".utf8))
            }
            await session.stopBackgroundTasks(reason: "the REPL ended")
            await session.close()
            return ended
        }
    }
}

/// The read-eval-print loop over a session: the session gives entries the standalone Lua
/// interpreter's meaning; this reads lines, continues unfinished entries, and prints.
struct Repl {
    let session: RunbookSession
    let reader: LineReader
    /// The first lines shown (``ReplBanner/text(version:luaVersion:configuration:dialect:)``).
    let banner: String
    /// Whether the prompt marks a dry run.
    let dryRun: Bool

    /// Reads and runs entries until end of input (`.succeeded`) or an `os.exit` (`.exited`).
    func loop() async -> RunOutcome {
        print(banner)
        let prompt = ReplBanner.prompt(dryRun: dryRun, continued: false)
        let continued = ReplBanner.prompt(dryRun: dryRun, continued: true)
        var dialectShown = false
        reading: while true {
            var entry: String
            guard let input = await read(prompt: prompt) else { return session.backgroundExit ?? .succeeded }
            switch input {
            case .line(let line): entry = line
            case .interrupted: continue reading  // Ctrl-C at the prompt drops the line
            case .end: break reading
            }
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix(":") {
                command(trimmed)
                continue
            }
            continuing: while session.isIncomplete(entry: entry) {
                guard let input = await read(prompt: continued) else { return session.backgroundExit ?? .succeeded }
                switch input {
                case .line(let more): entry += "\n" + more
                case .interrupted: continue reading  // and the unfinished entry with it
                case .end: break continuing
                }
            }
            let execution = await session.evaluate(entry: entry)
            if case .exited = execution.outcome { return execution.outcome }
            if !execution.outcome.isRejected { reader.remember(entry) }  // history keeps what compiled
            if case .succeeded = execution.outcome {
                if !execution.results.isEmpty { print(execution.results.joined(separator: "\t")) }
            } else if let report = execution.outcome.report {
                FileHandle.standardError.write(Data((report + "\n").utf8))
            }
            if !dialectShown, let dialect = session.dialect {
                print(ReplBanner.dialectLine(dialect))
                dialectShown = true
            }
        }
        print()
        return .succeeded
    }

    /// A line typed at `prompt`, while background tasks run; nil when one of them ended
    /// the session with `os.exit`.
    private func read(prompt: String) async -> LineReader.Input? {
        let reader = reader
        return await session.runningBackgroundTasks { await reader.read(prompt: prompt) }
    }

    /// A REPL command (Lua code never starts with `:`).
    private func command(_ text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch (words.first, words.count) {
        case (":full", 1):
            print(session.describeLastResultInFull() ?? "no result yet: `_` is nil")
        case (":tasks", 1):
            let running = session.describeRunningTasks()
            print(running.isEmpty ? "no background tasks" : running.joined(separator: "\n"))
        case (":help", 1):
            print(session.help() ?? "")
        case (":help", 2):
            if let entry = session.help(words[1]) {
                print(entry)
            } else {
                FileHandle.standardError.write(Data("no entry for \(words[1]) (:help lists them)\n".utf8))
            }
        default:
            FileHandle.standardError.write(
                Data("unknown command \(text) (commands: :help, :help NAME, :full, :tasks)\n".utf8))
        }
    }
}

/// The session, for libedit's Tab completion, which runs on the thread reading the line.
/// Completion reads the Lua state only while no task runs Lua (background tasks may run
/// while the prompt waits): ``RunbookSession/completions(for:)`` checks.
private final class SessionCompleter: @unchecked Sendable {
    let session: RunbookSession
    init(session: RunbookSession) { self.session = session }
}
