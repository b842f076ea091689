/// How a run went: its outcome (and exit status), and what it did.
public struct RunReport: Sendable {
    /// How the run ended.
    public var outcome: RunOutcome
    /// How long it took.
    public var duration: Duration
    /// Errors of spawned tasks that nobody waited for.
    public var unobservedTaskErrors: [String]
}
