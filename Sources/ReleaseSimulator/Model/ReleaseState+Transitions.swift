/// The phase state machine: every change of a release goes through these methods,
/// and each one that changes something bumps `version`.
extension ReleaseState {
    /// Starts (or, after a regression, resumes) a phase. Only the next phase can start,
    /// and only once the previous one is complete.
    mutating func startPhase(at index: Int, now: Int64) throws(SimulatorError) {
        let name = phases[index].definition.name
        switch status(ofPhaseAt: index) {
        case .complete: throw .invalidRequest("phase '\(name)' is already complete")
        case .started: throw .invalidRequest("phase '\(name)' is already started")
        case .notStarted:
            let previous = phases[index - 1].definition.name
            throw .invalidRequest("phase '\(name)' cannot start: the previous phase '\(previous)' is not complete")
        case .readyToStart, .paused:
            phases[index].isStarted = true
            phases[index].isPaused = false
            phases[index].startedDate = now
            version += 1
        }
    }

    /// Records an approval for a started phase whose audiences require one.
    mutating func approvePhase(at index: Int, now: Int64) throws(SimulatorError) {
        let phase = phases[index]
        guard status(ofPhaseAt: index) == .started else {
            throw .invalidRequest("phase '\(phase.definition.name)' is not started, so it cannot be approved")
        }
        guard phase.definition.requiresApproval else {
            throw .invalidRequest("phase '\(phase.definition.name)' does not require approval")
        }
        guard phase.approvedDate == nil else {
            throw .invalidRequest("phase '\(phase.definition.name)' is already approved")
        }
        phases[index].approvedDate = now
        version += 1
    }

    /// Makes a started, guarded phase regress: it pauses and stops progressing.
    mutating func regressPhase(at index: Int) throws(SimulatorError) {
        let phase = phases[index]
        guard status(ofPhaseAt: index) == .started else {
            throw .invalidRequest("phase '\(phase.definition.name)' is not started, so it cannot regress")
        }
        guard phase.definition.isGuarded else {
            throw .invalidRequest("phase '\(phase.definition.name)' has no release guardian configuration")
        }
        phases[index].isPaused = true
        version += 1
    }

    /// Completes a started or paused phase now, approval or not.
    mutating func completePhase(at index: Int, now: Int64) throws(SimulatorError) {
        let status = status(ofPhaseAt: index)
        guard status == .started || status == .paused else {
            throw .invalidRequest("phase '\(phases[index].definition.name)' is \(status.rawValue), not started")
        }
        markComplete(at: index, date: now)
    }

    /// Marks a phase complete or incomplete, as a legacy-pipeline JSON patch does.
    mutating func setPhaseComplete(at index: Int, _ complete: Bool, now: Int64) {
        guard phases[index].isComplete != complete else { return }
        if complete {
            markComplete(at: index, date: now)
        } else {
            phases[index].isComplete = false
            phases[index].completionDate = nil
            version += 1
        }
    }

    /// Completes the started phase if its time has come: `duration` after it started
    /// and, if it requires approval, not before it was approved. (Only one phase can be
    /// started at a time, and the next one waits for a client to start it.)
    mutating func advance(now: Int64, duration: Duration) {
        guard let index = activePhaseIndex, status(ofPhaseAt: index) == .started,
            let startedDate = phases[index].startedDate
        else { return }
        var dueDate = startedDate + duration.milliseconds
        if phases[index].definition.requiresApproval {
            guard let approvedDate = phases[index].approvedDate else { return }
            dueDate = max(dueDate, approvedDate)
        }
        guard dueDate <= now else { return }
        markComplete(at: index, date: dueDate)
    }

    private mutating func markComplete(at index: Int, date: Int64) {
        phases[index].isComplete = true
        phases[index].isPaused = false
        phases[index].completionDate = date
        version += 1
    }
}
