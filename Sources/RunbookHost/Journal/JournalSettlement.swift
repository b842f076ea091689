import Foundation
import ReleaseCore

/// Settles the writes an earlier run left `unknown`: a run interrupted while a write was in
/// flight, or a connection that broke after LaunchDarkly may have applied it. The next live
/// run that uses the same journal against the same API reads each such release again and
/// records what became of the write, before its runbook starts:
///
/// ```json
/// {"operation":"settle","outcome":"applied","settles":"3f2a…","settled_operation":"phase.start",
///  "project":"web","flag":"new-checkout","phase":"Production","message":"…"}
/// ```
///
/// `applied` and `not_applied` are what the release shows now; `undetermined` means the
/// release cannot tell (a patch, or a start of "the next phase"), and the message says what
/// to check. A write whose release cannot be read now stays unsettled for a later run.
struct JournalSettlement {
    /// A write an earlier run recorded as `unknown` that no run has settled since.
    struct Unsettled: Sendable, Equatable {
        var id: String
        var operation: String
        var project: String
        var flag: String
        var phase: String?
    }

    /// What the release shows of one unsettled write now.
    struct Verdict: Sendable, Equatable {
        var outcome: String
        var message: String
    }

    /// The journal field that names the API a write was sent to (never the token).
    static let baseURIField = "base_uri"
    /// The journal field that identifies an `unknown` write, so a later record can settle it.
    static let writeIDField = "write_id"

    /// The unsettled `unknown` writes of the journal at `path` that were sent to `baseURI`,
    /// oldest first. A missing or unreadable journal has none.
    static func unsettled(inJournalAt path: String, baseURI: String) -> [Unsettled] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var pending: [String: Unsettled] = [:]
        var order: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            // Nearly every line is neither an unknown write nor a settlement: skip the parse.
            guard line.contains(Self.unknownMarker) || line.contains(Self.settlesMarker) else { continue }
            guard let object = (try? JSONValue(parsing: line))?.objectValue else { continue }
            if let settled = object["settles"]?.stringValue {
                pending.removeValue(forKey: settled)
                continue
            }
            guard object["outcome"]?.stringValue == "unknown",
                object[baseURIField]?.stringValue == baseURI,
                let id = object[writeIDField]?.stringValue,
                let operation = object["operation"]?.stringValue,
                let project = object["project"]?.stringValue,
                let flag = object["flag"]?.stringValue
            else { continue }
            if pending[id] == nil { order.append(id) }
            pending[id] = Unsettled(
                id: id, operation: operation, project: project, flag: flag, phase: object["phase"]?.stringValue)
        }
        return order.compactMap { pending[$0] }
    }

    private static let unknownMarker = Array("\"unknown\"".utf8)
    private static let settlesMarker = Array("\"settles\"".utf8)

    /// What `release` (nil: there is none) shows of `write` now.
    static func verdict(of write: Unsettled, release: Release?) -> Verdict {
        let subject = "\(write.operation) \(write.project)/\(write.flag)"
        switch write.operation {
        case "phase.start":
            guard let name = write.phase else {
                return Verdict(
                    outcome: "undetermined",
                    message: "\(subject) (the next phase) cannot be told apart from other starts; check the release")
            }
            guard let release else {
                return Verdict(outcome: "not_applied", message: "\(subject) \(name): the release no longer exists")
            }
            guard let phase = PhaseSelector.find(name, in: release) else {
                return Verdict(outcome: "undetermined", message: "\(subject): the release has no phase \(name) now")
            }
            let state = PhaseSelector.state(of: phase, in: release)
            if state == .notStarted || state == .ready {
                return Verdict(
                    outcome: "not_applied", message: "\(subject) \(phase.name): the phase is \(state.rawValue)")
            }
            return Verdict(outcome: "applied", message: "\(subject) \(phase.name): the phase is \(state.rawValue)")
        case "release.create":
            return release == nil
                ? Verdict(outcome: "not_applied", message: "\(subject): there is no release")
                : Verdict(outcome: "applied", message: "\(subject): the release exists")
        case "release.delete":
            return release == nil
                ? Verdict(outcome: "applied", message: "\(subject): there is no release")
                : Verdict(outcome: "not_applied", message: "\(subject): the release still exists")
        default:
            return Verdict(
                outcome: "undetermined", message: "\(subject) cannot be checked from the release; check it by hand")
        }
    }

    /// A fresh identifier for an `unknown` write.
    static func newWriteID() -> String {
        (0..<4).map { _ in String(format: "%04x", UInt16.random(in: .min ... .max)) }.joined()
    }
}
