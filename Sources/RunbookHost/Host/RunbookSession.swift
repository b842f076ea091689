import Foundation
import LuaBridge
import ReleaseCore
import Synchronization

/// A Lua state with the whole runbook API that lives across several chunks: a runbook run
/// is one chunk; a REPL evaluates one chunk per entry, keeping globals in between. Each
/// chunk runs as a task (with any tasks it spawns) until all of them finish.
///
/// A session belongs to one thread or task at a time (it is not `Sendable`); interrupt it
/// through its host's ``RunbookHost/cancel(reason:)``.
public final class RunbookSession {
    /// What one chunk did.
    public struct Execution {
        /// How it ended.
        public var outcome: RunOutcome
        /// Its return values, formatted for a person (tables as JSON).
        public var results: [String]
        /// Errors of tasks it spawned that nobody waited for.
        public var unobservedTaskErrors: [String]
        /// With ``RunbookHostConfiguration/capturesReturnedJSON``: the first returned value
        /// as JSON (`null` when the chunk returned nothing), unless it cannot be JSON.
        public var returnedJSON: JSONValue? = nil
        /// With ``RunbookHostConfiguration/capturesReturnedJSON``: why the first returned
        /// value cannot be JSON (a function, a cycle, a key that is not a string...).
        public var returnedJSONProblem: String? = nil
    }

    /// Whether a chunk ends when its own task does, leaving the tasks it spawned running
    /// (a REPL's background tasks, see ``runningBackgroundTasks(while:)``); otherwise it
    /// ends when every task has. Set it before the first chunk.
    public var keepsSpawnedTasksRunning = false {
        didSet {
            scheduler.backgroundTaskEnded =
                keepsSpawnedTasksRunning
                ? { [weak self] task in
                    guard let self, let announce = self.announceBackgroundTaskEnd else { return }
                    announce(self.announcement(for: task))
                } : nil
        }
    }
    /// Told, with one line, when a background task ends (its result, or its error).
    public var announceBackgroundTaskEnd: ((String) -> Void)?

    private let host: RunbookHost
    private let resources: RunSession
    let scheduler: Scheduler
    private let context: RunContext
    private var tasksSeen = 0

    init(host: RunbookHost, name: String, folder: String?) throws(LuaError) {
        self.host = host
        let configuration = host.configuration
        do {
            resources = try RunSession(configuration: configuration, runbook: name)
        } catch {
            throw LuaError(kind: .file, message: String(describing: error))
        }
        let state = try LuaState()
        scheduler = Scheduler(state: state)
        scheduler.clock = configuration.clock
        context = RunContext(
            scheduler: scheduler, operations: resources.operations, configuration: configuration, runbook: name)
        try RunbookAPI.install(context, folders: configuration.libraryFolders + [folder].compactMap { $0 })
        for (path, body) in host.registeredFunctions {
            context.bindAsync(path) { _, call in
                var arguments: [LuaValue] = []
                for index in stride(from: 1, through: call.argumentCount, by: 1) {
                    arguments.append(try call.value(at: index))
                }
                return { [arguments] in try await body(arguments) }
            }
        }
        // The limit applies once the API is in place, so setting up never runs out of memory.
        state.memoryLimit = configuration.memoryLimit
    }

    /// Compiles and runs a chunk given as text (`chunkName` as Lua expects: `=repl`, `@file`).
    public func execute(_ source: String, chunkName: String) async -> Execution {
        await execute(load: { state throws(LuaError) in try state.load(source, chunkName: chunkName) }, arguments: [])
    }

    /// Runs an interactive entry as the standalone Lua interpreter does: `=expr` and a bare
    /// expression return their values (`return <entry>` is tried first), anything else runs
    /// as a statement.
    public func evaluate(entry: String, chunkName: String = "=repl") async -> Execution {
        await execute(chunk(forEntry: entry), chunkName: chunkName)
    }

    /// Whether an interactive entry is unfinished (Lua reports a syntax error at `<eof>`),
    /// so a REPL should read another line and append it.
    public func isIncomplete(entry: String) -> Bool {
        do {
            _ = try scheduler.state.load(chunk(forEntry: entry), chunkName: "=repl")
            return false
        } catch {
            return error.kind == .syntax && error.message.hasSuffix("<eof>")
        }
    }

    private func chunk(forEntry entry: String) -> String {
        let source = entry.hasPrefix("=") ? String(entry.dropFirst()) : entry
        let asExpression = "return " + source
        return (try? scheduler.state.load(asExpression, chunkName: "=repl")) != nil ? asExpression : source
    }

    /// Runs a chunk; `settlingJournal` first settles the writes earlier runs left unknown in
    /// the journal (a runbook run does; REPL entries do not).
    func execute(
        load: (LuaState) throws(LuaError) -> LuaReference, arguments: [String], settlingJournal: Bool = false
    ) async -> Execution {
        let generation = scheduler.beginChunk()
        let execution = await host.whileActive(scheduler, generation: generation) {
            await run(load: load, arguments: arguments, settlingJournal: settlingJournal)
        }
        return execution
            ?? Execution(
                outcome: .rejected("another run is in progress on this host (a host runs one at a time)"), results: [],
                unobservedTaskErrors: [])
    }

    private func run(
        load: (LuaState) throws(LuaError) -> LuaReference, arguments: [String], settlingJournal: Bool
    ) async -> Execution {
        let main: RunbookTask
        do {
            let chunk = try load(scheduler.state)
            if settlingJournal { await resources.operations.settleEarlierWrites() }
            main = try scheduler.spawn(chunk, arguments: arguments.map { .string($0) })
        } catch {
            let message = (error as? LuaError)?.message ?? String(describing: error)
            return Execution(outcome: .rejected(message), results: [], unobservedTaskErrors: [])
        }
        await scheduler.run(main, leavingBackgroundTasks: keepsSpawnedTasksRunning)
        await scheduler.settleAbandonedWork(within: .seconds(2))

        let failures = scheduler.unobservedFailures(after: tasksSeen)
        tasksSeen = scheduler.taskCount
        if let status = scheduler.exitStatus {
            resources.recordExit(status: status, reason: scheduler.interruption ?? "os.exit(\(status))")
            return Execution(outcome: .exited(status), results: [], unobservedTaskErrors: [])
        }
        let unobserved = failures.map { "spawned task #\($0.number) failed: \($0.error)" }
        for message in unobserved {
            context.events.emit(RunEvent(level: .error, name: "task.failed", message: message))
        }
        let outcome: RunOutcome
        if let interruption = scheduler.interruption {
            resources.recordInterruption(interruption)
            outcome = .interrupted
        } else if let failure = main.failure, failure.code == "interrupted" {
            // Running Lua code stopped before the scheduler saw the interrupt (a busy loop).
            resources.recordInterruption(failure.message)
            outcome = .interrupted
        } else if let failure = main.failure {
            outcome = .failed(failure)
        } else if let first = failures.first {
            outcome = .failed(first.error)
        } else {
            outcome = .succeeded
        }
        var execution = Execution(outcome: outcome, results: [], unobservedTaskErrors: unobserved)
        describeResults(of: main, into: &execution)
        return execution
    }

    /// Fills in the results of a chunk that ended well: their text, `_` (the first result,
    /// for the next entry), and the first result as JSON when the configuration asks.
    private func describeResults(of task: RunbookTask, into execution: inout Execution) {
        guard task.failure == nil else { return }
        let stack = scheduler.state.stack
        let base = stack.top
        defer { stack.settop(base) }
        let count = (try? task.coroutine.pushResults(onto: stack)) ?? 0
        if host.configuration.capturesReturnedJSON {
            if count == 0 {
                execution.returnedJSON = .null
            } else {
                do {
                    execution.returnedJSON = try LuaJSON.json(try stack.value(at: base + 1))
                } catch let error as LuaHostError {
                    execution.returnedJSONProblem = error.message
                } catch {
                    execution.returnedJSONProblem = (error as? LuaError)?.message ?? "\(error)"
                }
            }
        }
        guard count > 0 else { return }
        try? scheduler.state.setGlobal("_", toValueAt: base + 1)
        execution.results = (base + 1...base + count).map { index in
            if stack.type(at: index) == .string, let text = stack.string(at: index) { return text }
            return pretty(at: index) ?? stack.describe(at: index)
        }
    }

    /// The value at `index` of the main stack as `ldrun.pretty` shows it (a release table
    /// with its phase summary first).
    private func pretty(at index: Int32) -> String? {
        if prettyChunk == nil {
            prettyChunk = try? scheduler.state.load("return ldrun.pretty(...)", chunkName: "=ldrun.pretty")
        }
        guard let prettyChunk else { return nil }
        return (try? scheduler.state.call(prettyChunk, passingValueAt: index))?.first?.stringValue
    }

    private var prettyChunk: LuaReference?

    /// `_` (the first result of the last entry that returned one) in full, every level and
    /// every entry, for the REPL's `:full`; nil when there is no such result.
    public func describeLastResultInFull() -> String? {
        let source = "if _ == nil then return nil end return ldrun.pretty(_, {depth = 100000, items = 100000000})"
        guard let chunk = try? scheduler.state.load(source, chunkName: "=ldrun.pretty") else { return nil }
        return (try? scheduler.state.call(chunk))?.first?.stringValue
    }

    /// What Tab can complete `text` (the word before the cursor) to: global names and Lua
    /// keywords, fields after `.` (`release.cr` → `release.create`), methods after `:`
    /// (`task:wa` → `task:wait`), sorted. Reads with raw lookups only, so no Lua code runs.
    public func completions(for text: String) -> [String] {
        let name = DottedName(text)
        guard !name.path.contains(":") else { return [] }
        // A background task may be running Lua on another thread: offer nothing then.
        let state = scheduler.state
        guard
            let names = scheduler.luaAccess.withLockIfAvailable({ _ in
                state.names(at: name.path, startingWith: name.last)
            })
        else { return [] }
        var words = Set(names)
        if name.lead.isEmpty { words.formUnion(Self.keywords.filter { $0.hasPrefix(name.last) }) }
        return words.sorted().map { name.lead + $0 }
    }

    /// The functions the host bound into this session (`release.get`, `task:wait`...),
    /// including those an embedding program registered.
    public var boundFunctionNames: [String] { context.boundNames }

    /// Whether the dotted `name` (`release.get`, `ldrun.pretty`) names something in the
    /// session now; read with raw lookups. A method (`task:wait`) belongs to a host value,
    /// which no name reaches: it counts when it names a type.
    public func defines(_ name: String) -> Bool {
        let parts = DottedName(name)
        if name.contains(":") { return !parts.path.isEmpty }
        let state = scheduler.state
        return scheduler.luaAccess.withLock { _ in state.names(at: parts.path, startingWith: parts.last) }.contains(
            parts.last)
    }

    /// `:help`: the API in this session, grouped by table, one signature per line; or, for
    /// `:help NAME`, that entry of the reference. Nil for a name with no entry.
    public func help(_ name: String? = nil) -> String? {
        guard let name else { return APIReference.builtIn.overview(where: defines) }
        return APIReference.builtIn.entry(named: name)?.text
    }

    /// A name split at its last `.` or `:`: `release.cr` is path `release`, lead `release.`,
    /// last `cr`; a bare `rel` has an empty path and lead.
    private struct DottedName {
        var path = ""
        var lead = ""
        var last: String

        init(_ text: String) {
            guard let separator = text.lastIndex(where: { $0 == "." || $0 == ":" }) else {
                last = text
                return
            }
            path = String(text[..<separator])
            lead = String(text[...separator])
            last = String(text[text.index(after: separator)...])
        }
    }

    private static let keywords = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local",
        "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    func summarize(_ report: RunReport) { resources.summarize(report) }

    /// The API dialect the server has spoken in this session, once a call has told (nil
    /// before the first release was read, and while no call has needed the client).
    public var dialect: APIDialect? { resources.dialect }

    /// Closes the connection pool. The session cannot run chunks afterwards.
    public func close() async {
        scheduler.clock = nil  // the clock forgets this session's sleep observer
        await resources.shutdown()
        withExtendedLifetime(context) {}
    }
}
