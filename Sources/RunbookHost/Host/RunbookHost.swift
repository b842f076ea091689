import Foundation
import LuaBridge
import ReleaseCore
import Synchronization

/// The embeddable runbook host: runs a runbook (a Lua file or string) against the
/// LaunchDarkly release API with the full runbook API, and reports how it went.
///
/// A host runs one runbook (or session chunk) at a time; a run started while another is in
/// progress is rejected. Runs one after another each get a fresh Lua state.
/// ``cancel(reason:)`` may be called from any thread (a signal handler's queue, a chat
/// command) to interrupt the current run; with no run in progress it does nothing.
public final class RunbookHost: Sendable {
    /// A Swift function runbooks can call, registered with ``register(_:_:)``.
    public typealias AsyncFunction = @Sendable ([LuaValue]) async throws -> [LuaValue]

    /// The configuration every run uses.
    public let configuration: RunbookHostConfiguration
    private let customFunctions = Mutex<[(String, AsyncFunction)]>([])
    /// The run in progress. Reading it and interrupting it happen under this one lock, so
    /// a cancel can only reach the run that is active at that moment.
    private let active = Mutex<ActiveRun?>(nil)

    private struct ActiveRun: Sendable {
        let events: AsyncStream<Scheduler.Event>.Continuation
        let gate: InterruptGate
        let generation: Int
        let number: Int
    }
    private let runsStarted = Mutex(0)

    public init(configuration: RunbookHostConfiguration) {
        self.configuration = configuration
    }

    /// Adds a host function under a dotted name (`chat.post`). It receives the call's
    /// arguments as values and returns the results; the calling task waits meanwhile, so
    /// it may do I/O. A thrown ``LuaHostError`` (or any ``LuaErrorConvertible``) reaches
    /// the runbook as an error table.
    public func register(_ path: String, _ body: @escaping AsyncFunction) {
        customFunctions.withLock { $0.append((path, body)) }
    }

    /// Interrupts the current run: every waiting task raises `interrupted` (so `pcall`
    /// and `<close>` cleanup runs), running Lua code is stopped, and pending requests are
    /// cancelled. The interrupt persists until the run has ended: a `pcall` in a busy loop
    /// cannot swallow it. With no run in progress (before `run` has started or after it
    /// returned), it does nothing.
    public func cancel(reason: String = "interrupted") {
        cancel(reason: reason, onlyRun: nil)
    }

    private func cancel(reason: String, onlyRun number: Int?) {
        active.withLock { run in
            guard let run, number == nil || run.number == number else { return }
            run.gate.request(generation: run.generation)
            run.events.yield(.interrupt(reason: reason, generation: run.generation))
        }
    }

    /// Runs a runbook file.
    public func run(file path: String) async -> RunReport {
        let folder = FilePaths.folder(of: path)
        return await run(name: path, folder: folder.isEmpty ? "." : folder) { state throws(LuaError) in
            try state.load(contentsOfFile: path)
        }
    }

    /// Runs a runbook given as a string; `name` appears in errors (`name:3: ...`).
    public func run(source: String, name: String = "runbook") async -> RunReport {
        await run(name: name, folder: nil) { state throws(LuaError) in
            try state.load(source, chunkName: "@\(name)")
        }
    }

    private func run(
        name: String, folder: String?, load: (LuaState) throws(LuaError) -> LuaReference
    ) async -> RunReport {
        let started = ContinuousClock.now
        let session: RunbookSession
        do {
            session = try RunbookSession(host: self, name: name, folder: folder)
        } catch {
            return RunReport(outcome: .rejected(error.message), duration: .zero, unobservedTaskErrors: [])
        }
        let execution = await session.execute(
            load: load, arguments: configuration.positionalArguments, settlingJournal: true)
        let report = RunReport(
            outcome: execution.outcome, duration: ContinuousClock.now - started,
            unobservedTaskErrors: execution.unobservedTaskErrors, returnedJSON: execution.returnedJSON,
            returnedJSONProblem: execution.returnedJSONProblem)
        if !execution.outcome.isRejected { session.summarize(report) }
        await session.close()
        return report
    }

    /// Opens a session: a Lua state with the runbook API that keeps its globals across
    /// chunks, for a REPL or a bot that runs one-off operations. Close it when done.
    public func makeSession(name: String = "repl") throws(LuaError) -> RunbookSession {
        try RunbookSession(host: self, name: name, folder: nil)
    }

    /// The registered custom functions.
    var registeredFunctions: [(String, AsyncFunction)] { customFunctions.withLock { $0 } }

    /// Makes `scheduler` the target of ``cancel(reason:)`` while `body` runs, or returns nil
    /// at once when another run is in progress (a host runs one at a time).
    func whileActive<T>(_ scheduler: Scheduler, generation: Int, _ body: () async -> T) async -> T? {
        let number = runsStarted.withLock { count -> Int in
            count += 1
            return count
        }
        let claimed = active.withLock { run -> Bool in
            guard run == nil else { return false }
            run = ActiveRun(
                events: scheduler.eventSink, gate: scheduler.gate, generation: generation,
                number: number)
            return true
        }
        guard claimed else { return nil }
        let time = RunTime(clock: configuration.clock)
        // A limit past what a clock can sleep is no limit at all.
        let ring = configuration.timeout.flatMap { limit in
            limit <= .seconds(RunbookDuration.maximumSeconds) ? time.timerSetNow(for: limit) : nil
        }
        let timer = configuration.timeout.map { limit in
            Task { [weak self] in
                guard let ring else { return }
                try await ring.wait()
                self?.cancel(
                    reason: "the run exceeded its time limit of \(RunbookDuration.seconds(limit))s", onlyRun: number)
            }
        }
        let result = await body()
        timer?.cancel()
        ring?.cancel()
        active.withLock { $0 = nil }
        return result
    }
}
