/// Where a release stands, in one word (the values of Lua's `release.status`).
public enum ReleaseStatus: String, Sendable, Hashable, CaseIterable {
    /// No phase has started or completed; the first phase can start.
    case notStarted = "not_started"
    /// A phase is started and running (not paused, not complete).
    case inProgress = "in_progress"
    /// Some phase is complete, none is active, and a next phase is waiting to be started.
    case ready
    /// A started phase was paused (a guarded rollout regressed).
    case paused
    /// Every phase is complete.
    case complete
    /// The release was canceled (`_canceledAt` is set).
    case canceled
}
