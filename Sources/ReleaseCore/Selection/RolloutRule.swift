/// The one rule for "has LaunchDarkly finished with this phase?" (DESIGN §5½), pure and
/// read from a single response.
///
/// A phase is **rolled out** when it is complete, or when it is started and nothing is
/// left for LaunchDarkly to do. What "nothing left" means depends on the dialect the
/// release's own status spellings show (`APIDialect.of`):
/// - **spec**: phases complete by themselves, and the server refuses the next start before
///   that, so only completion counts.
/// - **observed**: nothing completes until the next phase starts, so a started phase is
///   rolled out when it is not paused, no approval is pending (the flag is on in each of
///   the phase's environments, which needs `Release.flagOn`), and no guarded audience is
///   still monitoring (a guarded audience counts as done only when its own status reads
///   complete).
/// - **cannot tell** (no status fields, or unknown spellings): wait for completion.
///
/// Anything the data cannot settle counts as pending, so an uncertain answer waits rather
/// than moving on.
public enum RolloutRule {
    /// What keeps `phase` from being rolled out; empty when it is rolled out or complete,
    /// and for a phase that has not started.
    public static func pending(for phase: ReleasePhase, in release: Release) -> [RolloutPending] {
        guard !phase.isComplete, phase.isStarted else { return [] }
        if phase.isPaused { return [.paused] }
        guard dialect(of: phase, in: release) == .observed else { return [.completion] }
        guard phase.raw["_audiences"] != nil else { return [.audiencesUnknown] }
        var pending: [RolloutPending] = []
        if phase.audiences.contains(where: { $0.configuration?.requireApproval == true }) {
            let environments = environments(of: phase)
            if let flagOn = release.flagOn {
                let off = environments.filter { flagOn[$0] != true }
                if !off.isEmpty { pending.append(.approval(environments: off, flagRead: true)) }
            } else {
                pending.append(.approval(environments: environments, flagRead: false))
            }
        }
        for audience in phase.audiences where audience.configuration?.isGuarded == true {
            switch audience.status {
            case .some(.complete): continue
            case .some(.paused): pending.append(.paused)
            default: pending.append(.monitoring(audience: audience.name, status: audience.rawStatus))
            }
        }
        return pending
    }

    /// Whether the phase is complete, or started with nothing left to do.
    public static func isRolledOut(_ phase: ReleasePhase, in release: Release) -> Bool {
        phase.isComplete || (phase.isStarted && pending(for: phase, in: release).isEmpty)
    }

    /// Whether reading the flag (`Release.flagOn`) could change the answer for `phase`: it
    /// is started, in the observed dialect, and an audience requires approval.
    public static func needsFlag(_ phase: ReleasePhase, in release: Release) -> Bool {
        phase.isStarted && !phase.isPaused && dialect(of: phase, in: release) == .observed
            && phase.audiences.contains { $0.configuration?.requireApproval == true }
    }

    /// The phase's state in one word.
    public static func state(of phase: ReleasePhase, in release: Release) -> PhaseState {
        if phase.isComplete { return .complete }
        if phase.isPaused { return .paused }
        if phase.isStarted { return pending(for: phase, in: release).isEmpty ? .rolledOut : .active }
        if phase.status == .readyToStart { return .ready }
        guard let index = PhaseSelector.index(ofPhase: phase.id, in: release),
            PhaseSelector.next(in: release)?.id == phase.id
        else { return .notStarted }
        let earlierDone = release.phases[..<index].allSatisfy { isRolledOut($0, in: release) }
        return earlierDone ? .ready : .notStarted
    }

    /// The environment keys of the phase's audiences.
    public static func environments(of phase: ReleasePhase) -> [String] {
        phase.audiences.compactMap { $0.environment?.key }
    }

    /// The phase's own spelling decides; else the release's.
    private static func dialect(of phase: ReleasePhase, in release: Release) -> APIDialect? {
        phase.dialect ?? APIDialect.of(release)
    }
}
