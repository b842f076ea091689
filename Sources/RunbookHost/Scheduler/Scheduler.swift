import Foundation
import LuaBridge
import Synchronization

/// Runs every piece of a runbook as a task (a Lua coroutine) on one Lua state.
///
/// Host functions that do I/O or wait call ``suspend(_:operation:)``: the Swift work runs
/// concurrently while the task is suspended, and the scheduler resumes the task with the
/// results (or raises the error in it) when the work completes. All Lua runs inside
/// ``run(_:)``, one task at a time; only Swift work runs concurrently.
final class Scheduler {
    /// What arrives from outside the Lua loop.
    enum Event: Sendable {
        case completed(token: Int, result: Result<[LuaValue], LuaHostError>)
        /// An interrupt of the chunk numbered `generation` (stale ones are ignored).
        case interrupt(reason: String, generation: Int)
        /// Ends ``runInBackground()`` (what the caller waited for has come).
        case wake
        /// Something began to sleep on the virtual clock: time may jump now.
        case clock
    }

    let state: LuaState
    /// Raises the state's interrupt flag only while a task of the interrupted chunk runs.
    let gate: InterruptGate
    /// Held while Lua runs, so another thread (a REPL's completion) may read the state
    /// between steps.
    let luaAccess = Mutex(())
    /// The tasks that have not ended.
    private(set) var tasks: [LuaThreadID: RunbookTask] = [:]
    var ready: [(RunbookTask, RunbookTask.Wakeup)] = []
    private var readyIndex = 0
    private(set) var waiting: [Int: RunbookTask] = [:]
    private var nextToken = 0
    private var nextTaskNumber = 0
    let events: AsyncStream<Event>
    let eventSink: AsyncStream<Event>.Continuation
    /// Why the current chunk was interrupted, once it was.
    private(set) var interruption: String?
    /// Why every task was interrupted (`os.exit`, a REPL that ends), once they were.
    private(set) var everythingInterrupted: String?
    /// The virtual clock the run's waits use, if it has one; the loop moves it on when every
    /// operation it waits for sleeps on it.
    var clock: VirtualClock? {
        didSet {
            let sink = eventSink
            oldValue?.onSleep(scope: clockScope, nil)
            clock?.onSleep(scope: clockScope) { sink.yield(.clock) }
        }
    }
    /// This scheduler's scope on the virtual clock: its operations' sleeps hold time still.
    let clockScope = VirtualClock.makeScope()
    /// Whether tasks run while a REPL's prompt waits (``runInBackground()``), which has the
    /// terminal then.
    var isRunningInBackground = false
    /// Called when a task that outlived its chunk ends (a REPL reports it).
    var backgroundTaskEnded: ((RunbookTask) -> Void)?
    /// The status `os.exit` asked for, once a task called it.
    private(set) var exitStatus: Int32?
    /// Numbers the chunks run on this scheduler, so an interrupt meant for one that has
    /// ended cannot reach the next.
    private(set) var generation = 0
    /// Every task of the run. Lua holds tasks only weakly (see ``TaskHandle``), so a
    /// finished task's results stay available to `task:wait()` for the whole run.
    private var allTasks: [RunbookTask] = []
    /// Swift work cancelled by an interrupt that may still be finishing (a write in flight
    /// records its outcome in the journal as it ends).
    private var abandoned: [Task<Void, Never>] = []

    init(state: LuaState) {
        self.state = state
        gate = InterruptGate(flag: state.interruptHandle)
        (events, eventSink) = AsyncStream.makeStream(of: Event.self)
        state.defineObjectType(
            "ldrun.task",
            methods: [
                "wait": { [weak self] call in try self?.waitForTask(call) ?? .none },
                "done": { call in
                    guard let handle = call.stack.object(at: 1, as: TaskHandle.self) else {
                        throw call.typeError(1, expected: "task")
                    }
                    // A task the scheduler no longer holds has ended.
                    return .values([.boolean(handle.task?.isDone ?? true)])
                },
            ]
        )
    }

    // MARK: Tasks

    /// Creates a task for the function at `index` of a host call (`spawn(fn, ...)`).
    func spawn(from call: HostCall, functionAt index: Int32) throws -> RunbookTask {
        let coroutine = try LuaCoroutine(spawningFrom: call, functionAt: index)
        return enqueue(coroutine)
    }

    /// Creates a task that runs a loaded chunk with arguments.
    func spawn(_ function: LuaReference, arguments: [LuaValue]) throws -> RunbookTask {
        let coroutine = try LuaCoroutine(state: state, function: function)
        let task = enqueue(coroutine)
        ready[ready.count - 1].1 = .values(arguments)
        return task
    }

    private func enqueue(_ coroutine: LuaCoroutine) -> RunbookTask {
        nextTaskNumber += 1
        let task = RunbookTask(number: nextTaskNumber, coroutine: coroutine, generation: generation)
        tasks[coroutine.id] = task
        allTasks.append(task)
        ready.append((task, .start))
        return task
    }

    /// The task making a host call, or an error when the call comes from elsewhere (a
    /// coroutine the runbook made itself, or the main thread).
    func currentTask(_ call: HostCall) throws(LuaHostError) -> RunbookTask {
        guard let task = tasks[call.threadID] else {
            throw LuaHostError(
                code: "not_in_task",
                message: "'\(call.functionName)' must run in a runbook task, not inside a coroutine made with "
                    + "coroutine.create or coroutine.wrap; use spawn(fn) for concurrency"
            )
        }
        return task
    }

    /// Suspends the calling task until `operation` completes; its values become the
    /// host call's results, its error is raised from the call.
    func suspend(
        _ call: HostCall, operation: @escaping @Sendable () async throws(LuaHostError) -> [LuaValue]
    ) throws(LuaHostError) -> HostResult {
        let task = try currentTask(call)
        if let reason = interruption(of: task) { throw LuaHostError.interrupted(reason) }
        guard call.isYieldable else { throw call.notYieldableError() }
        nextToken += 1
        let token = nextToken
        task.waitToken = token
        task.waitingIn = call.functionName
        waiting[token] = task
        let sink = eventSink
        let virtual = clock != nil
        let scope = clockScope
        task.work = Task {
            let run: () async -> Result<[LuaValue], LuaHostError> = {
                do throws(LuaHostError) {
                    return .success(try await operation())
                } catch {
                    return .failure(error)
                }
            }
            // A sleep inside the operation holds virtual time still until it is all that is left.
            let result = virtual ? await VirtualClock.$operationScope.withValue(scope) { await run() } : await run()
            sink.yield(.completed(token: token, result: result))
        }
        return .yield
    }

    /// `task:wait()`: the task's results, or its error raised here.
    private func waitForTask(_ call: HostCall) throws(LuaHostError) -> HostResult {
        guard let handle = call.stack.object(at: 1, as: TaskHandle.self) else {
            throw call.typeError(1, expected: "task")
        }
        guard let target = handle.task else { return .none }
        target.observed = true
        if target.isDone {
            do {
                let count = try target.coroutine.pushResults(onto: call.stack)
                return target.failure == nil ? .pushed(count) : .raise
            } catch {
                throw LuaHostError(code: "error", message: error.message)
            }
        }
        let current = try currentTask(call)
        guard current !== target else {
            throw LuaHostError(code: "deadlock", message: "a task cannot wait for itself")
        }
        if let reason = interruption(of: current) { throw LuaHostError.interrupted(reason) }
        guard call.isYieldable else { throw call.notYieldableError() }
        current.waitingIn = "task #\(target.number)"
        target.waiters.append(current)
        return .yield
    }

    // MARK: The loop

    /// Runs until every task has finished, or, with `leavingBackgroundTasks`, until `main`
    /// has: the tasks it spawned that still run then keep running in later chunks and in
    /// ``runInBackground()`` (a REPL's entry returns while its tasks go on).
    func run(_ main: RunbookTask, leavingBackgroundTasks: Bool = false) async {
        // A task that waits for the operator's answer keeps the terminal, and the chunk.
        await drive(endingOnWake: false) {
            tasks.isEmpty
                || (leavingBackgroundTasks && main.isDone && !tasks.values.contains { $0.waitingIn == "confirm" })
        }
        for task in tasks.values { task.outlivedItsChunk = true }
    }

    /// The loop: steps the ready tasks and handles what arrives until `done`, checked
    /// whenever no task is ready; with `endingOnWake`, also when a ``Event/wake`` arrives.
    func drive(endingOnWake: Bool, until done: () -> Bool) async {
        var iterator = events.makeAsyncIterator()
        while true {
            stepReadyTasks()
            if done() { return }
            if !tasks.isEmpty && waiting.isEmpty {
                failDeadlockedTasks()
                continue
            }
            if let clock, !waiting.isEmpty { clock.advanceIfIdle(operations: waiting.count, scope: clockScope) }
            guard let event = await iterator.next() else { return }
            if case .wake = event {
                if endingOnWake { return }
                continue
            }
            handle(event)
        }
    }

    /// Steps every task that is ready, in order, until none is.
    func stepReadyTasks() {
        while readyIndex < ready.count {
            let (task, wakeup) = ready[readyIndex]
            readyIndex += 1
            task.waitingIn = nil
            gate.entering(task.generation, interrupted: interruption(of: task) != nil)
            luaAccess.withLock { _ in step(task, wakeup) }
            gate.left()
        }
        ready.removeAll(keepingCapacity: true)
        readyIndex = 0
    }

    /// Why `task` is interrupted, if it is: every task after `os.exit`, a task of the
    /// current chunk after an interrupt of it.
    private func interruption(of task: RunbookTask) -> String? {
        if let everythingInterrupted { return everythingInterrupted }
        return task.generation == generation ? interruption : nil
    }

    func handle(_ event: Event) {
        switch event {
        case .completed(let token, let result):
            guard let task = waiting.removeValue(forKey: token), task.waitToken == token else { return }
            task.waitToken = nil
            task.work = nil
            switch result {
            case .success(let values): ready.append((task, .values(values)))
            case .failure(let error): ready.append((task, .error(error)))
            }
        case .interrupt(let reason, let generation):
            guard generation == self.generation, interruption == nil else { return }
            interruption = reason
            // The gate raises the state's interrupt flag before every step of the chunk's
            // tasks until it has ended, so running Lua code cannot swallow it with pcall.
            interruptWaitingTasks(reason: reason) { $0.generation == generation }
        case .wake, .clock:
            break
        }
    }

    /// Raises `interrupted` in every waiting task that `selected` picks, cancelling the
    /// Swift work it waits for.
    func interruptWaitingTasks(reason: String, where selected: (RunbookTask) -> Bool) {
        let error = LuaHostError.interrupted(reason)
        for (token, task) in waiting where selected(task) {
            if let work = task.work {
                work.cancel()
                abandoned.append(work)
            }
            task.work = nil
            task.waitToken = nil
            waiting.removeValue(forKey: token)
            ready.append((task, .error(error)))
        }
        for task in tasks.values {
            let blocked = task.waiters.filter(selected)
            task.waiters.removeAll(where: selected)
            for waiter in blocked { ready.append((waiter, .error(error))) }
        }
    }

    /// Interrupts every task, whichever chunk started it (a REPL that ends).
    func interruptEverything(reason: String) {
        guard everythingInterrupted == nil else { return }
        everythingInterrupted = reason
        interruptWaitingTasks(reason: reason) { _ in true }
    }

    /// Ends the chunk as `os.exit` does: every task is interrupted (waiting ones raise
    /// `interrupted` with `reason`, running Lua code is stopped), and the chunk's outcome
    /// becomes an exit with `status`.
    func exit(status: Int32, reason: String) {
        guard exitStatus == nil else { return }
        exitStatus = status
        state.interruptHandle.interrupt()
        if interruption == nil { interruption = reason }
        interruptEverything(reason: reason)
    }

    /// Waits, at most `limit`, for the Swift work an interrupt cancelled to end, so what it
    /// records (a write's outcome in the journal) lands before the run's own last record.
    /// Work that ignores cancellation (a blocked read of stdin) is not waited for past `limit`.
    func settleAbandonedWork(within limit: Duration) async {
        let works = abandoned
        abandoned.removeAll()
        guard !works.isEmpty else { return }
        let settled = Mutex(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeOnce: @Sendable () -> Void = {
                let first = settled.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume() }
            }
            Task {
                for work in works { await work.value }
                resumeOnce()
            }
            Task {
                try? await Task.sleep(for: limit)
                resumeOnce()
            }
        }
    }

    /// Tasks suspended on each other with no Swift work pending can never continue.
    func failDeadlockedTasks() {
        let error = LuaHostError(code: "deadlock", message: "every remaining task is waiting for another task")
        for task in tasks.values {
            let blocked = task.waiters
            task.waiters.removeAll()
            for waiter in blocked { ready.append((waiter, .error(error))) }
        }
        if ready.isEmpty {
            for task in tasks.values { task.coroutine.close() }
            tasks.removeAll()
        }
    }

    private func step(_ task: RunbookTask, _ wakeup: RunbookTask.Wakeup) {
        let result: LuaResumeResult
        switch wakeup {
        case .start: result = task.coroutine.resume()
        case .values(let values): result = task.coroutine.resume(values)
        case .error(let error): result = task.coroutine.resume(throwing: error)
        case .outcome(let other):
            if other.failure == nil {
                result = task.coroutine.resume { stack throws(LuaError) in try other.coroutine.pushResults(onto: stack)
                }
            } else {
                result = task.coroutine.resumeRaising { stack throws(LuaError) in
                    try other.coroutine.pushResults(onto: stack)
                }
            }
        }
        switch result {
        case .waiting:
            break
        case .yielded:
            ready.append((task, .values([])))
        case .finished:
            finish(task)
        case .failed(let error):
            task.failure = error
            finish(task)
        }
    }

    private func finish(_ task: RunbookTask) {
        tasks.removeValue(forKey: task.coroutine.id)
        for waiter in task.waiters { ready.append((waiter, .outcome(of: task))) }
        if !task.waiters.isEmpty { task.observed = true }
        task.waiters.removeAll()
        if task.outlivedItsChunk {
            task.observed = true  // reported here, not as an unobserved failure of a later chunk
            backgroundTaskEnded?(task)
        }
    }

    /// How many tasks were created so far.
    var taskCount: Int { nextTaskNumber }

    /// Spawned tasks created after task number `after` that failed with nobody waiting for
    /// them. (A chunk's own task counts as observed: its error is the chunk's outcome.)
    func unobservedFailures(after: Int = 0) -> [(number: Int, error: LuaError)] {
        allTasks.compactMap { task in
            guard task.number > after + 1, !task.observed, let failure = task.failure else { return nil }
            return (task.number, failure)
        }
    }

    /// Starts a new chunk: forgets a past interruption (and withdraws the state's interrupt
    /// flag), so the chunk runs normally. Returns the chunk's generation.
    func beginChunk() -> Int {
        interruption = nil
        exitStatus = nil
        everythingInterrupted = nil
        state.interruptHandle.clear()
        generation += 1
        return generation
    }
}
