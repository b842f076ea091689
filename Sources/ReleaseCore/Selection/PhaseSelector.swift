/// Pure functions that pick phases of a release and summarise its status (DESIGN §5).
///
/// The rules, for releases with `status` fields and for legacy releases that only have the
/// `complete` (and maybe `started`) booleans alike:
/// - a phase is **complete** when its status is `Complete` or its `complete` flag is set;
/// - a phase is **started** when it is not complete and its status is `Started` or `Paused`
///   (legacy: `started` is true);
/// - **next** is the first phase neither complete nor started (the API's own selection rule);
///   it exists even while another phase is active — starting it is then refused by the server;
/// - **active** is the first started phase (including a paused one);
/// - **status** is, in order: `canceled` if `_canceledAt` is set; `complete` if every phase is
///   complete (also for a release with no phases); `paused` if any phase is paused;
///   `in_progress` if a phase is active; `not_started` if no phase is complete;
///   otherwise `ready` (some complete, none active, a next phase remains).
public enum PhaseSelector {
    /// The first phase that is neither complete nor started, or `nil` when none is left.
    public static func next(in release: Release) -> ReleasePhase? {
        release.phases.first { !$0.isComplete && !$0.isStarted }
    }

    /// The started, not yet complete phase (paused counts as active), or `nil`.
    public static func active(in release: Release) -> ReleasePhase? {
        release.phases.first { $0.isStarted }
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

    /// The release's status in one word; see the type's documentation for the rules.
    public static func status(of release: Release) -> ReleaseStatus {
        if release.isCanceled { return .canceled }
        if release.phases.allSatisfy(\.isComplete) { return .complete }
        if release.phases.contains(where: \.isPaused) { return .paused }
        if active(in: release) != nil { return .inProgress }
        if !release.phases.contains(where: \.isComplete) { return .notStarted }
        return .ready
    }
}
