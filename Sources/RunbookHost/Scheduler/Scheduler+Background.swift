import LuaBridge

/// Tasks that outlive their chunk: a REPL's entry returns while the tasks it spawned go
/// on, between prompts and during later entries.
extension Scheduler {
    /// Runs the tasks left running until a ``Event/wake`` arrives (what the caller waited
    /// for, a line typed at the prompt, has come), or until they have all ended after
    /// `os.exit`. Post one ``Event/wake`` per call.
    func runInBackground() async {
        isRunningInBackground = true
        defer { isRunningInBackground = false }
        await drive(endingOnWake: true) { exitStatus != nil && tasks.isEmpty }
    }

    /// Interrupts every task still running and runs them until they have ended (their
    /// `<close>` handlers run), then waits a little for the Swift work that was cancelled.
    func interruptAndFinishEveryTask(reason: String) async {
        guard !tasks.isEmpty else { return }
        interruptEverything(reason: reason)
        await drive(endingOnWake: false) { tasks.isEmpty }
        await settleAbandonedWork(within: .seconds(2))
    }

    /// The tasks still running, oldest first.
    var runningTasks: [RunbookTask] { tasks.values.sorted { $0.number < $1.number } }
}
