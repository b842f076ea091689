import Foundation

/// Something that happens to a phase a while after it started, without anyone asking: an
/// approval that arrives 30 minutes in, a guarded rollout that regresses after 10 minutes.
/// Runbook tests describe their scenarios with these (`approvals`, `regress`).
///
/// An action is due `after` the phase's start. It happens once, at that moment of the
/// simulator's clock, as seen by the first request after it; if the phase cannot take it
/// then (a regression after the phase completed, an approval it does not need), it lapses.
public struct TimedPhaseAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case approve
        case regress
        case complete
    }

    public var kind: Kind
    public var project: String
    public var flag: String
    /// The phase, by name (`Staging`) or id.
    public var phase: String
    /// How long after the phase's start the action happens.
    public var after: Duration

    public init(_ kind: Kind, project: String, flag: String, phase: String, after: Duration) {
        self.kind = kind
        self.project = project
        self.flag = flag
        self.phase = phase
        self.after = after
    }
}

/// A release that is already part-way through, for a test to start from.
public struct PreparedRelease: Sendable, Equatable {
    /// How much of the release is complete.
    public enum Completed: Sendable, Equatable {
        /// No phase.
        case none
        /// Every phase up to and including this one (by name).
        case through(String)
        /// Every phase: the release is complete.
        case all
    }

    public var flag: String
    /// The pipeline (nil: the project's default).
    public var pipeline: String?
    public var completed: Completed
    /// A phase (by name) that is started, not complete; the phases before it are complete.
    public var started: String?
    /// Whether the started phase, if it needs an approval, has it already.
    public var approved: Bool

    public init(
        flag: String, pipeline: String? = nil, completed: Completed = .none, started: String? = nil,
        approved: Bool = false
    ) {
        self.flag = flag
        self.pipeline = pipeline
        self.completed = completed
        self.started = started
        self.approved = approved
    }
}

extension ReleaseStore {
    /// Applies the timed actions of `project` that are due by `now`, in the order they fell
    /// due; each release is first advanced to the moment of its action, so a phase duration
    /// and an action interleave as they would in real time.
    func applyTimedActions(to project: inout ProjectState, now: Int64) {
        var due: [(index: Int, date: Int64)] = []
        for (index, action) in pendingActions.enumerated() where action.project == project.key {
            guard let release = project.releases[action.flag],
                let phase = release.phaseIndex(idOrName: action.phase),
                let started = release.phases[phase].startedDate
            else { continue }
            let date = started &+ action.after.milliseconds
            if date <= now { due.append((index, date)) }
        }
        guard !due.isEmpty else { return }
        for (index, date) in due.sorted(by: { $0.date < $1.date }) {
            let action = pendingActions[index]
            guard var release = project.releases[action.flag], let phase = release.phaseIndex(idOrName: action.phase)
            else { continue }
            release.advance(now: date, duration: phaseDuration)
            switch action.kind {
            case .approve: try? release.approvePhase(at: phase, now: date)
            case .regress: try? release.regressPhase(at: phase)
            case .complete: try? release.completePhase(at: phase, now: date)
            }
            project.releases[action.flag] = release
            project.turnOn(flag: action.flag, in: release.environmentsTurnedOn, at: date)
        }
        let done = Set(due.map(\.index))
        pendingActions = pendingActions.enumerated().filter { !done.contains($0.offset) }.map(\.element)
    }

    /// Gives a flag a release that is already part-way through (``PreparedRelease``), as if
    /// earlier runs had taken it there.
    func prepare(_ prepared: PreparedRelease, project projectKey: String) throws(SimulatorError)
        -> ReleaseRepresentation
    {
        let pipelineKey = try withProject(projectKey) { project throws(SimulatorError) -> String in
            guard let key = prepared.pipeline ?? project.defaultPipelineKey else {
                throw .invalidRequest("project '\(projectKey)' has no release pipeline")
            }
            return key
        }
        _ = try createRelease(
            project: projectKey, flag: prepared.flag, input: CreateReleaseInput(releasePipelineKey: pipelineKey))
        let now = nowMilliseconds
        return try withRelease(project: projectKey, flag: prepared.flag) { release throws(SimulatorError) in
            let names = release.phases.map(\.definition.name)
            func index(of name: String, _ key: String) throws(SimulatorError) -> Int {
                guard let found = names.firstIndex(of: name) else {
                    throw .invalidRequest(
                        "\(key): pipeline '\(pipelineKey)' has no phase '\(name)' (its phases: \(names.joined(separator: ", ")))"
                    )
                }
                return found
            }
            var completed = 0
            switch prepared.completed {
            case .none: break
            case .all: completed = names.count
            case .through(let name): completed = try index(of: name, "completed") + 1
            }
            var started: Int?
            if let name = prepared.started {
                started = try index(of: name, "started")
                completed = max(completed, started ?? 0)
                guard started == completed else {
                    throw .invalidRequest("started: phase '\(name)' comes before the last completed phase")
                }
            }
            for index in 0..<completed {
                release.phases[index].isStarted = true
                release.phases[index].startedDate = now
                if release.phases[index].definition.requiresApproval { release.phases[index].approvedDate = now }
                release.phases[index].monitoringEndDate = now
                release.phases[index].isComplete = true
                release.phases[index].completionDate = now
            }
            if let started {
                release.phases[started].isStarted = true
                release.phases[started].startedDate = now
                if prepared.approved, release.phases[started].definition.requiresApproval {
                    release.phases[started].approvedDate = now
                }
            }
            release.version += 1
            return ReleaseRepresentation(release, projectKey: projectKey)
        }
    }

    /// The name of a phase of a flag's release, given its id; nil when there is none.
    func phaseName(project: String, flag: String, id: String) -> String? {
        guard let release = projects[project]?.releases[flag], let index = release.phaseIndex(id: id) else {
            return nil
        }
        return release.phases[index].definition.name
    }

    /// The names of the phases of a flag's release, in order.
    func phaseNames(project: String, flag: String) -> [String] {
        projects[project]?.releases[flag]?.phases.map(\.definition.name) ?? []
    }
}
