/// The execution status of a release phase, as the API reports it in `status`.
///
/// Values the API may add later decode as `.unknown` instead of failing.
public enum PhaseStatus: Sendable, Hashable, CustomStringConvertible {
    case notStarted
    case readyToStart
    case started
    case paused
    case complete
    case unknown(String)

    /// Decodes the API's spelling (`NotStarted`, `ReadyToStart`, `Started`, `Paused`, `Complete`).
    public init(rawValue: String) {
        switch rawValue {
        case "NotStarted": self = .notStarted
        case "ReadyToStart": self = .readyToStart
        case "Started": self = .started
        case "Paused": self = .paused
        case "Complete": self = .complete
        default: self = .unknown(rawValue)
        }
    }

    /// The API's spelling.
    public var rawValue: String {
        switch self {
        case .notStarted: "NotStarted"
        case .readyToStart: "ReadyToStart"
        case .started: "Started"
        case .paused: "Paused"
        case .complete: "Complete"
        case .unknown(let value): value
        }
    }

    public var description: String { rawValue }
}
