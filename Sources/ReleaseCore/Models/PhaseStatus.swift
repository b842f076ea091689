/// The execution status of a release phase (or of one of its audiences), in one vocabulary
/// for both of the spellings LaunchDarkly is known to use (see docs/launchdarkly-api.md):
///
/// | meaning | spec dialect | observed dialect |
/// |---|---|---|
/// | not started | `NotStarted` | `not-started` |
/// | ready to start | `ReadyToStart` | `ready-to-start` |
/// | started | `Started` | `active` |
/// | paused | `Paused` | `paused` |
/// | complete | `Complete` | `completed` |
///
/// Decoding ignores case, `-`, `_` and spaces, so `READY_TO_START` reads as `.readyToStart`.
/// Values the API may add later decode as `.unknown` (with the text as sent) instead of
/// failing. Nothing outside ReleaseCore compares status strings: it asks this type.
public enum PhaseStatus: Sendable, Hashable, CustomStringConvertible {
    case notStarted
    case readyToStart
    case started
    case paused
    case complete
    case unknown(String)

    /// Decodes either dialect's spelling, in any case.
    public init(rawValue: String) {
        // The exact spellings of both dialects first: no folding needed.
        if let exact = Self.exactSpelling(rawValue) {
            self = exact
        } else {
            self.init(folding: rawValue)
        }
    }

    /// The status an exact spelling of either dialect names, told apart by length first and
    /// then by bytes (this runs for every phase of every release table a rule reads).
    private static func exactSpelling(_ text: String) -> PhaseStatus? {
        var text = text
        return text.withUTF8 { bytes -> PhaseStatus? in
            func spells(_ word: StaticString) -> Bool {
                bytes.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
            }
            switch bytes.count {
            case 6:
                if spells("active") { return .started }
                if spells("paused") || spells("Paused") { return .paused }
            case 7: if spells("Started") { return .started }
            case 8: if spells("Complete") { return .complete }
            case 9: if spells("completed") { return .complete }
            case 10: if spells("NotStarted") { return .notStarted }
            case 11: if spells("not-started") { return .notStarted }
            case 12: if spells("ReadyToStart") { return .readyToStart }
            case 14: if spells("ready-to-start") { return .readyToStart }
            default: break
            }
            return nil
        }
    }

    private init(folding rawValue: String) {
        switch Self.folded(rawValue) {
        case "notstarted": self = .notStarted
        case "readytostart": self = .readyToStart
        case "started", "active": self = .started
        case "paused": self = .paused
        case "complete", "completed": self = .complete
        default: self = .unknown(rawValue)
        }
    }

    /// The spec dialect's spelling (`Started`, ...); an unknown status as it was sent.
    public var rawValue: String { spelling(in: .spec) }

    /// The status as `dialect` spells it; an unknown status as it was sent.
    public func spelling(in dialect: APIDialect) -> String {
        switch (self, dialect) {
        case (.notStarted, .spec): "NotStarted"
        case (.notStarted, .observed): "not-started"
        case (.readyToStart, .spec): "ReadyToStart"
        case (.readyToStart, .observed): "ready-to-start"
        case (.started, .spec): "Started"
        case (.started, .observed): "active"
        case (.paused, .spec): "Paused"
        case (.paused, .observed): "paused"
        case (.complete, .spec): "Complete"
        case (.complete, .observed): "completed"
        case (.unknown(let value), _): value
        }
    }

    /// Whether the value is one the vocabulary does not know.
    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }

    public var description: String { rawValue }

    /// The dialect a spelling belongs to: `.spec` for the spec's exact PascalCase values,
    /// `.observed` for the exact kebab-case values a real account sent, `nil` for anything
    /// else (other cases, unknown values), which tells nothing.
    public static func dialect(ofSpelling text: String) -> APIDialect? {
        // `Paused` and `paused` differ only in case, which tells nothing.
        switch text {
        case "NotStarted", "ReadyToStart", "Started", "Complete": .spec
        case "not-started", "ready-to-start", "active", "completed": .observed
        default: nil
        }
    }

    private static func folded(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
    }
}
