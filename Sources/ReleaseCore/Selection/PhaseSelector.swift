/// Pure functions that pick phases of a release and summarise its status (DESIGN §5), in
/// either dialect (`APIDialect`), for releases with `status` fields and for legacy releases
/// that only have the `complete` (and maybe `started`) booleans alike:
/// - a phase is **complete** when its status reads complete or its `complete` flag is set;
/// - a phase is **started** when it is not complete and its status reads started or paused
///   (without a known status: `started` is true);
/// - **next** is the first phase neither complete nor started (the API's own selection rule);
///   it exists even while another phase is active: in the spec dialect the server refuses to
///   start it until the active one completes, in the observed dialect starting it completes
///   the active one;
/// - **active** is the first started phase (including a paused one);
/// - **rolled out** is `RolloutRule`'s answer;
/// - **status** is, in order: `canceled` if `_canceledAt` is set; `complete` if every phase is
///   complete (also for a release with no phases), or the last phase is rolled out and every
///   earlier one complete; `paused`
///   if any phase is paused; `ready` if the active phase is rolled out (a next phase remains);
///   `in_progress` if a phase is active; `not_started` if no phase is complete; otherwise
///   `ready` (some complete, none active, a next phase remains).
public enum PhaseSelector {
    /// The first phase that is neither complete nor started, or `nil` when none is left.
    public static func next(in release: Release) -> ReleasePhase? {
        nextIndex(in: release).map { release.phases[$0] }
    }

    /// The index of ``next(in:)`` in `release.phases`.
    public static func nextIndex(in release: Release) -> Int? {
        release.phases.firstIndex { $0.progress.isWaiting }
    }

    /// ``nextIndex(in:)`` for phases given by their progress alone, in order.
    public static func nextIndex(of phases: [PhaseProgress]) -> Int? {
        phases.firstIndex(where: \.isWaiting)
    }

    /// The started, not yet complete phase (paused counts as active), or `nil`.
    public static func active(in release: Release) -> ReleasePhase? {
        activeIndex(in: release).map { release.phases[$0] }
    }

    /// The index of ``active(in:)`` in `release.phases`.
    public static func activeIndex(in release: Release) -> Int? {
        release.phases.firstIndex { $0.isStarted }
    }

    /// ``activeIndex(in:)`` for phases given by their progress alone, in order.
    public static func activeIndex(of phases: [PhaseProgress]) -> Int? {
        phases.firstIndex(where: \.isStarted)
    }

    /// The phase whose `_id` equals `nameOrId`, else the first whose `_name` matches it
    /// case-insensitively, else `nil`.
    public static func find(_ nameOrId: String, in release: Release) -> ReleasePhase? {
        if let byId = release.phases.first(where: { $0.id == nameOrId }) { return byId }
        let wanted = nameOrId.lowercased()
        return release.phases.first { $0.name.lowercased() == wanted }
    }

    /// The index of the phase with id `phaseId`.
    public static func index(ofPhase phaseId: String, in release: Release) -> Int? {
        release.phases.firstIndex { $0.id == phaseId }
    }

    /// The phase's state in one word (`RolloutRule.state`).
    public static func state(of phase: ReleasePhase, in release: Release) -> PhaseState {
        RolloutRule.state(of: phase, in: release)
    }

    /// The release's status in one word; see the type's documentation for the rules.
    public static func status(of release: Release) -> ReleaseStatus {
        if release.isCanceled { return .canceled }
        guard let last = release.phases.last else { return .complete }
        if release.phases.allSatisfy(\.isComplete)
            || (RolloutRule.isRolledOut(last, in: release) && release.phases.dropLast().allSatisfy(\.isComplete))
        {
            return .complete
        }
        if release.phases.contains(where: \.isPaused) { return .paused }
        if let active = active(in: release) {
            return RolloutRule.isRolledOut(active, in: release) ? .ready : .inProgress
        }
        if !release.phases.contains(where: \.isComplete) { return .notStarted }
        return .ready
    }
}
