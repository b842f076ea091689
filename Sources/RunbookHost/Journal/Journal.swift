import Foundation
import ReleaseCore
import Synchronization

/// An append-only JSON-lines record of every write a run makes (or would make) and its
/// outcome. Each record is written, flushed and fsynced before the run goes on, so the
/// journal of an interrupted or crashed run is complete up to its last write.
/// The access token is never part of a record.
public final class Journal: Sendable {
    /// One line of the journal.
    public struct Record: Sendable {
        public var operation: String
        public var outcome: String
        public var project: String?
        public var flag: String?
        public var phase: String?
        public var status: Int?
        public var message: String?
        public var extra: [String: JSONValue]

        public init(
            operation: String, outcome: String, project: String? = nil, flag: String? = nil, phase: String? = nil,
            status: Int? = nil, message: String? = nil, extra: [String: JSONValue] = [:]
        ) {
            self.operation = operation
            self.outcome = outcome
            self.project = project
            self.flag = flag
            self.phase = phase
            self.status = status
            self.message = message
            self.extra = extra
        }
    }

    /// Where the journal is written.
    public let path: String
    private let runbook: String
    private let descriptor: Mutex<Int32>
    private let appended = Mutex(0)

    /// How many records this journal object has appended (this run's, not the file's).
    public var recordsAppended: Int { appended.withLock { $0 } }

    /// Opens (creating folders and file as needed) a journal for appending.
    public init(path: String, runbook: String) throws {
        let directory = FilePaths.folder(of: path)
        if !directory.isEmpty, let failure = FilePaths.makeFolders(directory) {
            throw JournalError(message: "cannot create the journal folder \(failure.folder): \(failure.reason)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw JournalError(message: "cannot open journal \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.runbook = runbook
        self.descriptor = Mutex(fd)
    }

    deinit {
        descriptor.withLock { fd in _ = close(fd) }
    }

    /// The default journal location: `$XDG_STATE_HOME/ldrun/journal.jsonl`, else
    /// `~/.local/state/ldrun/journal.jsonl`.
    /// Runs against a simulator use `simulated-journal.jsonl` beside it, so rehearsals never
    /// mix with the record of real changes.
    public static func defaultPath(environment: [String: String], simulated: Bool = false) -> String {
        let file = simulated ? "simulated-journal.jsonl" : "journal.jsonl"
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/ldrun/" + file
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/ldrun/" + file
    }

    /// Appends a record and fsyncs it.
    public func append(_ record: Record) throws {
        var object = record.extra
        object["time"] = .string(StreamEventSink.timestamp(Date()))
        object["runbook"] = .string(runbook)
        object["operation"] = .string(record.operation)
        object["outcome"] = .string(record.outcome)
        if let project = record.project { object["project"] = .string(project) }
        if let flag = record.flag { object["flag"] = .string(flag) }
        if let phase = record.phase { object["phase"] = .string(phase) }
        if let status = record.status { object["status"] = .integer(Int64(status)) }
        if let message = record.message { object["message"] = .string(message) }
        let line = Array((JSONValue.object(object).serialized(sortedKeys: true) + "\n").utf8)
        try descriptor.withLock { fd in
            var offset = 0
            while offset < line.count {
                let written = line.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                guard written > 0 else {
                    throw JournalError(message: "cannot write journal \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
            // Special files (/dev/null, a pipe) cannot be synced and need not be.
            guard fsync(fd) == 0 || errno == EINVAL else {
                throw JournalError(message: "cannot sync journal \(path): \(String(cString: strerror(errno)))")
            }
        }
        appended.withLock { $0 += 1 }
    }
}

/// The journal could not be opened or written; the run stops rather than go on unrecorded.
public struct JournalError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
