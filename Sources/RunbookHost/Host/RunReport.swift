import ReleaseCore

/// How a run went: its outcome (and exit status), and what it did.
public struct RunReport: Sendable {
    /// How the run ended.
    public var outcome: RunOutcome
    /// How long it took.
    public var duration: Duration
    /// Errors of spawned tasks that nobody waited for.
    public var unobservedTaskErrors: [String]
    /// With ``RunbookHostConfiguration/capturesReturnedJSON``, after a run that ended well:
    /// the runbook's first returned value as JSON (`null` when it returned nothing).
    public var returnedJSON: JSONValue? = nil
    /// Why the returned value cannot be JSON, when it cannot.
    public var returnedJSONProblem: String? = nil
}
