/// The phase state machine: every change of a release goes through these methods,
/// and each one that changes something bumps `version` once.
extension ReleaseState {
    /// Starts (or, after a regression, resumes) a phase, by the rules of the release's dialect.
    mutating func startPhase(at index: Int, now: Int64) throws(SimulatorError) {
        switch dialect {
        case .spec: try startSpecPhase(at: index, now: now)
        case .observed: try startObservedPhase(at: index, now: now)
        }
    }

    /// Spec: only the next phase can start, and only once the previous one is complete.
    private mutating func startSpecPhase(at index: Int, now: Int64) throws(SimulatorError) {
        let name = phases[index].definition.name
        switch status(ofPhaseAt: index) {
        case .complete: throw .invalidRequest("phase '\(name)' is already complete")
        case .started: throw .invalidRequest("phase '\(name)' is already started")
        case .notStarted:
            let previous = index > 0 ? phases[index - 1].definition.name : name
            throw .invalidRequest("phase '\(name)' cannot start: the previous phase '\(previous)' is not complete")
        case .readyToStart, .paused:
            begin(at: index, now: now)
            version += 1
        }
    }

    /// Observed: the next phase can start once the previous one is started and rolled out;
    /// starting it completes the previous one.
    private mutating func startObservedPhase(at index: Int, now: Int64) throws(SimulatorError) {
        let phase = phases[index]
        let name = phase.definition.name
        if phase.isComplete { throw .invalidRequest("phase '\(name)' is already complete") }
        if phase.isPaused {
            begin(at: index, now: now)
            version += 1
            return
        }
        if phase.isStarted { throw .invalidRequest("phase '\(name)' is already started") }
        if index > 0, !phases[index - 1].isComplete {
            let previous = phases[index - 1]
            if let reason = previous.pendingReason {
                let subject = previous.isStarted ? "phase" : "the previous phase"
                throw .invalidRequest(
                    "phase '\(name)' cannot start: \(subject) '\(previous.definition.name)' \(reason)")
            }
            finish(at: index - 1, date: now)
        }
        begin(at: index, now: now)
        version += 1
    }

    private mutating func begin(at index: Int, now: Int64) {
        phases[index].isStarted = true
        phases[index].isPaused = false
        phases[index].startedDate = now
        phases[index].monitoringEndDate = nil
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
            let spelled = status.spelling(in: dialect)
            throw .invalidRequest("phase '\(phases[index].definition.name)' is \(spelled), not started")
        }
        finish(at: index, date: now)
        version += 1
    }

    /// Marks a phase complete or incomplete, as a legacy-pipeline JSON patch does.
    mutating func setPhaseComplete(at index: Int, _ complete: Bool, now: Int64) {
        guard phases[index].isComplete != complete else { return }
        if complete {
            finish(at: index, date: now)
        } else {
            phases[index].isComplete = false
            phases[index].completionDate = nil
        }
        version += 1
    }

    /// Lets time pass. Spec: the started phase completes `duration` after it started and,
    /// if it requires approval, not before it was approved. Observed: nothing completes,
    /// but a guarded phase's monitoring ends `duration` after it started. (Only one phase
    /// runs at a time, and the next one waits for a client to start it.)
    mutating func advance(now: Int64, duration: Duration) {
        guard let index = activePhaseIndex, phases[index].isRunning, let startedDate = phases[index].startedDate
        else { return }
        let dueDate = startedDate + duration.milliseconds
        switch dialect {
        case .spec:
            var completionDate = dueDate
            if phases[index].definition.requiresApproval {
                guard let approvedDate = phases[index].approvedDate else { return }
                completionDate = max(dueDate, approvedDate)
            }
            guard completionDate <= now else { return }
            finish(at: index, date: completionDate)
            version += 1
        case .observed:
            guard phases[index].isMonitoring, dueDate <= now else { return }
            phases[index].monitoringEndDate = dueDate
            version += 1
        }
    }

    private mutating func finish(at index: Int, date: Int64) {
        phases[index].isComplete = true
        phases[index].isPaused = false
        phases[index].completionDate = date
    }
}
