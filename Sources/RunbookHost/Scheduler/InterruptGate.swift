import LuaBridge
import Synchronization

/// Lets an interrupt from another thread (Ctrl-C, a timeout, ``RunbookHost/cancel(reason:)``)
/// stop running Lua code of one chunk only. Tasks that outlived an earlier chunk (a REPL's
/// background tasks) share the Lua state and its interrupt flag, so the flag is raised only
/// while a task of the interrupted chunk runs; the scheduler raises or withdraws it before
/// each step from what was requested. Both sides store, then load, sequentially consistent
/// atomics: whichever comes second sees the other.
final class InterruptGate: Sendable {
    private let flag: LuaInterruptHandle
    /// The chunk whose task is running Lua now (0: none).
    private let running = Atomic<Int>(0)
    /// The last chunk an interrupt was requested for (0: none).
    private let requested = Atomic<Int>(0)

    init(flag: LuaInterruptHandle) { self.flag = flag }

    /// Asks the tasks of chunk `generation` to stop: at once if one of them runs Lua now,
    /// else when one next runs.
    func request(generation: Int) {
        requested.store(generation, ordering: .sequentiallyConsistent)
        if running.load(ordering: .sequentiallyConsistent) == generation { flag.interrupt() }
    }

    /// Stops whatever Lua code runs now, whichever chunk started it (Ctrl-C at a REPL prompt
    /// while a background task is busy). Does nothing while no task runs.
    func interruptRunningCode() {
        let generation = running.load(ordering: .sequentiallyConsistent)
        if generation != 0 { request(generation: generation) }
    }

    /// Whether an interrupt was requested for chunk `generation`.
    func isRequested(_ generation: Int) -> Bool {
        requested.load(ordering: .sequentiallyConsistent) == generation
    }

    /// Called before a task of chunk `generation` runs: raises the flag when that chunk is
    /// interrupted (`interrupted`, or requested), withdraws it otherwise.
    func entering(_ generation: Int, interrupted: Bool) {
        running.store(generation, ordering: .sequentiallyConsistent)
        if interrupted || isRequested(generation) { flag.interrupt() } else { flag.clear() }
    }

    /// Called after the task's step.
    func left() { running.store(0, ordering: .sequentiallyConsistent) }
}
