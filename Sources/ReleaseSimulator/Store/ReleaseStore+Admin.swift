/// An admin action on a phase, as `/_sim/approve`, `/_sim/regress` and `/_sim/complete` do.
enum PhaseAction: Sendable {
    case approve
    case regress
    case complete
}

extension ReleaseStore {
    /// Applies an admin action to a phase of a flag's release (`nil` = its active phase).
    func apply(_ action: PhaseAction, project: String, flag: String, phaseId: String?)
        throws(SimulatorError) -> ReleaseRepresentation
    {
        try changePhase(project: project, flag: flag, phaseId: phaseId) { release, index, now throws(SimulatorError) in
            switch action {
            case .approve: try release.approvePhase(at: index, now: now)
            case .regress: try release.regressPhase(at: index)
            case .complete: try release.completePhase(at: index, now: now)
            }
        }
    }
}
