/// Where one phase stands, in one word (the values of Lua's `phase.state`).
public enum PhaseState: String, Sendable, Hashable, CaseIterable {
    /// Not started, and it cannot start yet.
    case notStarted = "not_started"
    /// Not started, and it can start now: every earlier phase is complete or rolled out.
    case ready
    /// Started, and LaunchDarkly still has something to do for it (or the data cannot tell).
    case active
    /// Started, with nothing left for LaunchDarkly to do, but not marked complete (the
    /// observed dialect completes a phase only when the next one starts).
    case rolledOut = "rolled_out"
    /// Paused: a guarded rollout regressed.
    case paused
    /// Complete.
    case complete
}

/// Something that keeps a started phase from counting as rolled out.
public enum RolloutPending: Sendable, Hashable, CustomStringConvertible {
    /// Only completion counts: the spec dialect, or data that cannot tell the dialect.
    case completion
    /// The release shows no audiences for the phase, so nothing can be said about them.
    case audiencesUnknown
    /// An approval is pending: the flag is not on in these environments yet (all of the
    /// phase's environments when the flag has not been read).
    case approval(environments: [String], flagRead: Bool)
    /// A guarded rollout is still monitoring this audience, or its status cannot tell.
    case monitoring(audience: String, status: String?)
    /// The phase is paused.
    case paused

    public var description: String {
        switch self {
        case .completion: "completion"
        case .audiencesUnknown: "the release lists no audiences for the phase"
        case .approval(let environments, let flagRead):
            flagRead
                ? "approval (the flag is not on yet in \(environments.joined(separator: ", ")))"
                : "approval (the flag has not been read)"
        case .monitoring(let audience, nil):
            "the guarded rollout of \(audience) (the audience has no status)"
        case .monitoring(let audience, let status?):
            switch PhaseStatus(rawValue: status) {
            case .started: "the guarded rollout of \(audience) (monitoring)"
            case .unknown: "the guarded rollout of \(audience) (unknown audience status '\(status)')"
            default: "the guarded rollout of \(audience) (audience status '\(status)' does not show it is over)"
            }
        case .paused: "the phase is paused"
        }
    }
}
