import Foundation
import ReleaseCore
import Synchronization

/// The Swift resources of one run: the release client, the journal, and the counters
/// behind the closing summary.
final class RunSession: Sendable {
    let operations: ReleaseOperations
    private let client: LazyReleaseClient
    private let journal: Journal?
    private let events: any RunEventSink
    private let dryRun: Bool

    init(configuration: RunbookHostConfiguration, runbook: String) throws {
        var clientConfiguration = configuration.client
        let events = configuration.events
        let previous = clientConfiguration.onRequest
        let statuses = WriteStatusLog()
        clientConfiguration.onRequest = { record in
            previous?(record)
            statuses.observe(record)
            events.emit(Self.requestEvent(record))
        }
        // The token is checked by the first call that needs the client; the rest now.
        client = try LazyReleaseClient(configuration: clientConfiguration)
        journal = try configuration.journalPath.map { try Journal(path: $0, runbook: runbook) }
        operations = ReleaseOperations(
            client: client, dryRun: configuration.dryRun, journal: journal, events: events, statuses: statuses)
        self.events = events
        self.dryRun = configuration.dryRun
    }

    /// Closes the connection pool, if a call opened one.
    func shutdown() async {
        await client.shutdown()
    }

    /// The API dialect the server has spoken so far, if a call has told.
    var dialect: APIDialect? { client.ifBuilt?.dialect }

    func recordInterruption(_ reason: String) {
        try? journal?.append(Journal.Record(operation: "run", outcome: "interrupted", message: reason))
        events.emit(RunEvent(level: .warn, name: "interrupted", message: "interrupted: \(reason)"))
    }

    /// Records that the runbook ended the run with `os.exit`.
    func recordExit(status: Int32, reason: String) {
        try? journal?.append(
            Journal.Record(
                operation: "run", outcome: "exited", message: reason, extra: ["exit_status": .integer(Int64(status))]))
        events.emit(RunEvent(level: .info, name: "exit", message: reason))
    }

    /// Ends the journal of a run that wrote to it with a last record saying how the run
    /// ended (`done` or `failed`; interrupted and exited runs have theirs already), so a
    /// reader can tell a finished run from one that was killed.
    private func recordEnd(_ report: RunReport) {
        guard let journal, journal.recordsAppended > 0 else { return }
        let outcome: String
        var message: String?
        switch report.outcome {
        case .succeeded: outcome = "done"
        case .failed(let error):
            outcome = "failed"
            message = error.message
        case .rejected, .interrupted, .exited: return
        }
        try? journal.append(
            Journal.Record(
                operation: "run", outcome: outcome, message: message,
                extra: ["writes": .integer(Int64(operations.writeCount))]))
    }

    func summarize(_ report: RunReport) {
        recordEnd(report)
        let seconds = (RunbookDuration.seconds(report.duration) * 10).rounded() / 10
        let writes = operations.writeCount
        let verdict =
            switch report.outcome {
            case .succeeded: "done"
            case .failed: "failed"
            case .rejected: "rejected"
            case .interrupted: "interrupted"
            case .exited: "exited"
            }
        let noun = writes == 1 ? "write" : "writes"
        let made = dryRun ? "\(writes) \(noun) planned (dry run)" : "\(writes) \(noun)"
        events.emit(
            RunEvent(
                level: .info, name: "summary", message: "\(verdict): \(made) in \(seconds)s",
                fields: ["writes": .integer(Int64(writes)), "seconds": .number(seconds), "outcome": .string(verdict)]))
    }

    static func requestEvent(_ record: RequestRecord) -> RunEvent {
        let milliseconds = Int((RunbookDuration.seconds(record.duration) * 1000).rounded())
        let status = record.status.map(String.init) ?? record.transportError ?? "no response"
        var message = "\(record.method) \(record.path) \(status) \(milliseconds)ms"
        if record.attempt > 1 { message += " (attempt \(record.attempt))" }
        if record.willRetry { message += ", retrying" }
        return RunEvent(
            level: .debug, name: "request", message: message,
            fields: [
                "operation": .string(record.operation), "attempt": .integer(Int64(record.attempt)),
            ])
    }
}
