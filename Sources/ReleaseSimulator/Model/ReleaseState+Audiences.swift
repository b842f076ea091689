/// The status of each audience of a release phase, and the environments a release has
/// turned the flag on in.
extension ReleaseState {
    /// The status of one audience of the phase at `index`.
    ///
    /// Spec: the phase's own status. Observed (audiences do not mirror their phase): an
    /// unguarded audience is `not-started` until its phase is ready, then `ready-to-start`,
    /// also while the phase is active or paused, and `completed` with its phase; a guarded
    /// audience is `active` while its rollout is monitored, `completed` once monitoring is
    /// over or its phase completed, and `paused` when it regressed.
    func status(of audience: AudienceDefinition, inPhaseAt index: Int) -> PhaseStatus {
        let phaseStatus = status(ofPhaseAt: index)
        guard dialect == .observed else { return phaseStatus }
        switch phaseStatus {
        case .notStarted, .readyToStart, .complete:
            return phaseStatus
        case .started, .paused:
            guard audience.isGuarded else { return .readyToStart }
            if phaseStatus == .paused { return .paused }
            return phases[index].monitoringEndDate == nil ? .started : .complete
        }
    }

    /// The keys of the environments whose flag the release has turned on: those of the
    /// audiences of every phase that is complete, or started and approved if it needs approval.
    var environmentsTurnedOn: Set<String> {
        var keys: Set<String> = []
        for phase in phases where phase.turnsFlagOn {
            for audience in phase.definition.audiences { keys.insert(audience.environment.key) }
        }
        return keys
    }
}
