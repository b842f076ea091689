import LuaBridge

/// How a run ended, and the process exit status that stands for it.
///
/// This is the one place where outcomes map to exit statuses: 0 done, 1 the runbook
/// failed, 2 usage, configuration or syntax error (an uncaught `config` error too, such as
/// the first API call without a token), 130 interrupted, or the status given to `os.exit`.
public enum RunOutcome: Sendable {
    /// The runbook ran to its end.
    case succeeded
    /// The runbook raised an error nothing caught.
    case failed(LuaError)
    /// The runbook could not be started: unreadable file, syntax error, bad configuration.
    case rejected(String)
    /// The run was interrupted (Ctrl-C, SIGTERM, or a timeout).
    case interrupted
    /// The runbook called `os.exit` with this status (`os.exit(true)` and `os.exit()` 0,
    /// `os.exit(false)` 1).
    case exited(Int32)

    /// Whether the run never started (so there is nothing to summarise).
    public var isRejected: Bool {
        if case .rejected = self { return true }
        return false
    }

    /// The process exit status for this outcome.
    public var exitCode: Int32 {
        switch self {
        case .succeeded: 0
        case .failed(let error): error.code == "config" ? 2 : 1
        case .rejected: 2
        case .interrupted: 130
        case .exited(let status): status
        }
    }

    /// What to tell the operator, if anything (without the `ldrun:` prefix).
    public var report: String? {
        switch self {
        case .succeeded: nil
        case .failed(let error): error.description
        case .rejected(let message): message
        case .interrupted: "interrupted"
        case .exited: nil
        }
    }
}
