import Foundation
import ReleaseCore

/// Something that happened during a run, for the operator: progress, log lines, writes
/// (or, in a dry run, writes that would be made), HTTP requests at debug level.
public struct RunEvent: Sendable {
    /// How important the event is.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        case debug, info, warn, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warn: "warn"
            case .error: "error"
            }
        }
    }

    /// When it happened.
    public var time: Date
    /// How important it is.
    public var level: Level
    /// A stable name: `log`, `release.create`, `release.delete`, `release.patch`,
    /// `phase.start`, `phase.complete`, `phase.paused`, `waiting`, `would` (a dry run's
    /// write), `confirm`, `request` (debug), `task.failed`, `interrupted`, `simulator`,
    /// `summary`.
    public var name: String
    /// One line for a person.
    public var message: String
    /// Structured details (`flag`, `phase`, `status`, `elapsed`...).
    public var fields: [String: JSONValue]

    public init(
        level: Level, name: String, message: String, fields: [String: JSONValue] = [:], time: Date = Date()
    ) {
        self.time = time
        self.level = level
        self.name = name
        self.message = message
        self.fields = fields
    }
}

/// Receives the events of a run. Called from any thread; implementations serialise.
public protocol RunEventSink: Sendable {
    func emit(_ event: RunEvent)
}

/// A sink that forwards to a closure (handy for embedders and tests).
public struct ClosureEventSink: RunEventSink {
    let body: @Sendable (RunEvent) -> Void

    public init(_ body: @escaping @Sendable (RunEvent) -> Void) { self.body = body }

    public func emit(_ event: RunEvent) { body(event) }
}
