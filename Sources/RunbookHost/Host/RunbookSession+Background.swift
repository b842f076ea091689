import Foundation
import LuaBridge

/// Background tasks, as a REPL has them: with ``RunbookSession/keepsSpawnedTasksRunning``,
/// an entry ends when its own task does, and the tasks it spawned keep running between
/// prompts (``runningBackgroundTasks(while:)``) and during later entries.
extension RunbookSession {
    /// Runs the background tasks while `work` runs (a line being read at the prompt), and
    /// returns what `work` returned; nil when a background task called `os.exit` first
    /// (``backgroundExit`` says how the session ended).
    public func runningBackgroundTasks<T: Sendable>(while work: @escaping @Sendable () async -> T) async -> T? {
        let sink = scheduler.eventSink
        let pending = Task {
            let value = await work()
            sink.yield(.wake)
            return value
        }
        await scheduler.runInBackground()
        if backgroundExit != nil { return nil }
        return await pending.value
    }

    /// The exit a background task asked for with `os.exit`, once one did.
    public var backgroundExit: RunOutcome? {
        guard let status = scheduler.exitStatus, scheduler.tasks.isEmpty else { return nil }
        return .exited(status)
    }

    /// The tasks still running, one line each: number, what it waits in, and for how long
    /// it has run (`#3  waiting in phase.wait  2m05s`). Empty when none runs.
    public func describeRunningTasks() -> [String] {
        let now = ContinuousClock.now
        return scheduler.runningTasks.map { task in
            let doing = task.waitingIn.map { "waiting in \($0)" } ?? "running"
            return "#\(task.number)  \(doing)  \(Self.age(now - task.started))"
        }
    }

    /// Interrupts the tasks still running and lets them end (their `<close>` handlers run).
    /// Returns how many there were.
    @discardableResult
    public func stopBackgroundTasks(reason: String = "the session ended") async -> Int {
        let count = scheduler.tasks.count
        await scheduler.interruptAndFinishEveryTask(reason: reason)
        return count
    }

    /// Stops Lua code a background task runs now (Ctrl-C at a prompt while one is busy);
    /// callable from any thread.
    public var interruptRunningCode: @Sendable () -> Void {
        let gate = scheduler.gate
        return { gate.interruptRunningCode() }
    }

    /// The line that tells a background task ended: its first result, or its error.
    func announcement(for task: RunbookTask) -> String {
        if let failure = task.failure { return "task #\(task.number) failed: \(failure.message)" }
        let stack = scheduler.state.stack
        let base = stack.top
        defer { stack.settop(base) }
        guard let count = try? task.coroutine.pushResults(onto: stack), count > 0 else {
            return "task #\(task.number) finished"
        }
        let values = (base + 1...base + count).map { index in
            if stack.type(at: index) == .string, let text = stack.string(at: index) { return text }
            return (try? scheduler.state.call(oneLineChunk(), passingValueAt: index))?.first?.stringValue
                ?? stack.describe(at: index)
        }
        return "task #\(task.number) finished: " + values.joined(separator: "\t")
    }

    private func oneLineChunk() throws(LuaError) -> LuaReference {
        // A release shows as its phase summary; anything else on one line, one level deep.
        try scheduler.state.load(
            """
            local value = ...
            if type(value) == "table" and rawget(value, "releasePipelineKey") ~= nil then
              local ok, summary = pcall(release.summary, value)
              if ok and type(summary) == "string" then return summary end
            end
            return (ldrun.pretty(value, {depth = 1, items = 8, width = 100000, summary = false}):gsub("\\n%s*", " "))
            """, chunkName: "=ldrun.pretty")
    }

    private static func age(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }
}
