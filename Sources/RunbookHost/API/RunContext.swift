import LuaBridge
import ReleaseCore

/// What the Lua API functions of one run share: the scheduler, the release operations,
/// the run's configuration and its event sink.
final class RunContext {
    let scheduler: Scheduler
    let operations: ReleaseOperations
    let configuration: RunbookHostConfiguration
    let runbook: String
    /// Every name bound with ``bind(_:_:)`` (and ``bindAsync(_:_:)``), in order: the
    /// registry the REPL's `:help` and its tests read.
    private(set) var boundNames: [String] = []

    /// How the bound functions reach this context: without keeping it alive, and without a
    /// weak reference's cost on every call (a weak load and its release were a quarter of a
    /// trivial host call).
    private let reference = ContextReference()

    init(scheduler: Scheduler, operations: ReleaseOperations, configuration: RunbookHostConfiguration, runbook: String)
    {
        self.scheduler = scheduler
        self.operations = operations
        self.configuration = configuration
        self.runbook = runbook
        reference.context = Unmanaged.passUnretained(self)
    }

    deinit { reference.context = nil }

    var state: LuaState { scheduler.state }
    var events: any RunEventSink { configuration.events }

    /// Registers a host function that reaches this context without keeping it alive
    /// (the Lua state, which the context owns, holds the function).
    func bind(_ path: String, _ body: @escaping (RunContext, HostCall) throws -> HostResult) {
        boundNames.append(path)
        let reference = reference
        state.register(path) { call in
            guard let context = reference.context else {
                throw LuaHostError(code: "closed", message: "the run has ended")
            }
            // The context owns the state that is running this call, so it outlives the call.
            return try context._withUnsafeGuaranteedRef { try body($0, call) }
        }
    }

    /// Registers a host function whose work is asynchronous: `prepare` reads the
    /// arguments (on the Lua side), and the returned operation runs while the task waits.
    func bindAsync(
        _ path: String,
        _ prepare: @escaping (RunContext, HostCall) throws -> @Sendable () async throws -> [LuaValue]
    ) {
        bind(path) { context, call in
            let operation = try prepare(context, call)
            return try context.scheduler.suspend(call) { () throws(LuaHostError) in
                do {
                    return try await operation()
                } catch let error as LuaHostError {
                    throw error
                } catch let error as any LuaErrorConvertible {
                    throw error.luaHostError
                } catch is CancellationError {
                    throw LuaHostError.interrupted("interrupted")
                } catch {
                    throw LuaHostError(code: "host_error", message: String(describing: error))
                }
            }
        }
    }

    /// The project for a call: the one the call names, else the run's default.
    func project(_ explicit: String?, call: HostCall) throws(LuaHostError) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let project = configuration.client.defaultProject, !project.isEmpty { return project }
        throw LuaHostError(
            code: "config",
            message: "'\(call.functionName)' needs a project: pass --project, set LD_PROJECT, "
                + "or name it in the call ({project = \"...\"})"
        )
    }
}

extension RunContext {
    /// The run's time.
    var time: RunTime { RunTime(clock: configuration.clock) }
}

/// The run's time: real, or the configuration's virtual clock. Sendable, so an operation's
/// Swift work can take it along.
struct RunTime: Sendable {
    let clock: VirtualClock?

    /// Sleeps for `duration` (cancellable).
    func sleep(for duration: Duration) async throws {
        if let clock {
            try await clock.sleep(for: duration)
        } else {
            try await Task.sleep(for: duration)
        }
    }

    /// A sleep that is a timer, not part of the operation that waits (a progress note, a
    /// time limit): virtual time may jump to it, but it never holds time still.
    func timer(for duration: Duration) async throws {
        try await VirtualClock.$operationScope.withValue(nil) { try await sleep(for: duration) }
    }

    /// A timer set now (a run's time limit): on a virtual clock, time cannot jump past it
    /// before the task that waits for it has started. `wait` waits for it; `cancel` takes
    /// it off the clock.
    func timerSetNow(for duration: Duration) -> (wait: @Sendable () async throws -> Void, cancel: @Sendable () -> Void)
    {
        guard let clock else { return ({ try await Task.sleep(for: duration) }, {}) }
        let alarm = clock.alarm(after: duration)
        return ({ try await alarm.wait() }, { alarm.cancel() })
    }

    /// Monotonic time, for measuring how long something took.
    var now: Duration {
        if let clock { return clock.elapsed }
        return ContinuousClock.now - Self.processStart
    }

    private static let processStart = ContinuousClock.now

    /// A waiter that polls on this time.
    var waiter: Waiter { clock.map { Waiter(clock: $0) } ?? Waiter() }
}

/// The context, for the functions it binds: set while the context lives, cleared by its
/// `deinit`. Lua calls them only from a step of the context's own scheduler, which never
/// runs once the session (which owns the context) is gone, so the unretained reference is
/// never read after the context died; the check covers a state that outlives it anyway.
private final class ContextReference {
    var context: Unmanaged<RunContext>?
}
