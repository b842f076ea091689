import LuaBridge

/// One task of a run: the runbook's main chunk or a `spawn`ed function, running as a
/// Lua coroutine driven by the ``Scheduler``.
final class RunbookTask {
    /// How the task will be continued next.
    enum Wakeup {
        case start
        case values([LuaValue])
        case error(LuaHostError)
        /// Resume with the results of another task, or raise its error.
        case outcome(of: RunbookTask)
    }

    let number: Int
    let coroutine: LuaCoroutine
    /// The chunk that started it (``Scheduler/generation``); an interrupt reaches the
    /// tasks of one chunk.
    let generation: Int
    /// When it was created.
    let started = ContinuousClock.now
    /// What it waits in (`phase.wait`, `task #2`), while it waits.
    var waitingIn: String?
    /// Whether it was still running when its chunk ended (a REPL's background task).
    var outlivedItsChunk = false
    /// Identifies the pending host call; completions for an older token are stale.
    var waitToken: Int?
    /// The Swift work the task waits for, cancelled on interrupt.
    var work: Task<Void, Never>?
    /// Tasks suspended in `task:wait()` on this one.
    var waiters: [RunbookTask] = []
    /// Whether anyone waited for this task (an unobserved failure is reported at the end).
    var observed = false
    /// The error that ended the task, if it failed.
    var failure: LuaError?

    init(number: Int, coroutine: LuaCoroutine, generation: Int) {
        self.number = number
        self.coroutine = coroutine
        self.generation = generation
    }

    var isDone: Bool { coroutine.status == .finished || coroutine.status == .failed }
}

/// What Lua holds for a task: a weak link, so the Lua heap never keeps the scheduler's
/// objects (or the state itself) alive.
final class TaskHandle {
    weak var task: RunbookTask?

    init(_ task: RunbookTask) { self.task = task }
}
