import ReleaseCore

/// Everything a run needs, resolved by the caller (the `ldrun` executable resolves flags,
/// environment variables and defaults into this; the library never reads them itself).
public struct RunbookHostConfiguration: Sendable {
    /// How `confirm(question)` is answered.
    public enum Confirmation: Sendable {
        /// Every question is answered yes (`--yes`), and the answer is logged.
        case assumeYes
        /// No one can answer: `confirm` raises `confirm_required`.
        case refuse
        /// Ask someone (a terminal prompt, a chat message...).
        case ask(@Sendable (String) async -> Bool)
    }

    /// The release client: access token, base URI, default project, retries.
    public var client: ReleaseClientConfiguration
    /// Reads go to the server; writes are logged as "would …" and applied to a local projection.
    public var dryRun = false
    /// How `confirm` is answered.
    public var confirmation: Confirmation = .refuse
    /// `-a key=value` options, as `args.key`.
    public var arguments: [String: String] = [:]
    /// Arguments after `--`, as `args[1]`, `args[2]`, ...
    public var positionalArguments: [String] = []
    /// Folders searched by `require`, in order, before the runbook's own folder and the
    /// built-in library (`--lib`, then `LDRUN_PATH`).
    public var libraryFolders: [String] = []
    /// Where the journal of writes goes; nil for none.
    public var journalPath: String?
    /// Where events go.
    public var events: any RunEventSink
    /// The longest the whole run may take.
    public var timeout: Duration?

    public init(client: ReleaseClientConfiguration, events: any RunEventSink) {
        self.client = client
        self.events = events
    }
}
