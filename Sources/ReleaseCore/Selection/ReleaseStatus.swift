/// Where a release stands, in one word (the values of Lua's `release.status`).
public enum ReleaseStatus: String, Sendable, Hashable, CaseIterable {
    /// No phase has started or completed; the first phase can start.
    case notStarted = "not_started"
    /// A phase is started and LaunchDarkly is still rolling it out (not paused, not complete).
    case inProgress = "in_progress"
    /// The next phase can start: the earlier ones are complete or rolled out.
    case ready
    /// A started phase was paused (a guarded rollout regressed).
    case paused
    /// Every phase is complete, or the last one is rolled out.
    case complete
    /// The release was canceled (`_canceledAt` is set).
    case canceled
}
