import Foundation
import ReleaseCore
import Synchronization

/// The release operations runbooks use, over the shared client: reads go to the server;
/// writes go to the server (live) or to a local projection (dry run). Every write is
/// announced as an event and recorded in the journal with its outcome before the calling
/// task continues.
final class ReleaseOperations: Sendable {
    /// The release client, built on first use.
    let clients: LazyReleaseClient
    /// The release client, built now if no call has needed it yet.
    var client: ReleaseClient {
        get throws(ReleaseError) { try clients.get() }
    }
    let projection: DryRunProjection?
    let journal: Journal?
    let events: any RunEventSink
    private let writes = Mutex(0)

    /// Writes made (or, in a dry run, planned) so far.
    var writeCount: Int { writes.withLock { $0 } }

    private let statuses: WriteStatusLog

    init(
        client: LazyReleaseClient, dryRun: Bool, journal: Journal?, events: any RunEventSink,
        statuses: WriteStatusLog = WriteStatusLog()
    ) {
        self.statuses = statuses
        self.clients = client
        self.projection = dryRun ? DryRunProjection(client: client) : nil
        self.journal = journal
        self.events = events
    }

    var isDryRun: Bool { projection != nil }

    // MARK: Reads

    func release(project: String, flag: String) async throws -> Release? {
        if let projection { return try await projection.release(project: project, flag: flag) }
        return try await client.releaseResolvingApprovals(project: project, flag: flag)
    }

    // MARK: Writes

    func createRelease(project: String, flag: String, pipeline: String, variation: String?) async throws -> Release {
        let fields: [String: JSONValue] = ["flag": .string(flag), "pipeline": .string(pipeline)]
        return try await write("release.create", project: project, flag: flag, fields: fields) {
            if let projection {
                return try await projection.createRelease(
                    project: project, flag: flag, pipeline: pipeline, variation: variation)
            }
            return try await client.createRelease(
                project: project, flag: flag, pipelineKey: pipeline, releaseVariationId: variation)
        } describe: { _ in
            "release created for \(flag) on pipeline \(pipeline)"
        }
    }

    func deleteRelease(project: String, flag: String) async throws {
        try await write("release.delete", project: project, flag: flag, fields: ["flag": .string(flag)]) {
            if let projection {
                try await projection.deleteRelease(project: project, flag: flag)
            } else {
                try await client.deleteRelease(project: project, flag: flag)
            }
        } describe: { _ in
            "release of \(flag) deleted"
        }
    }

    func patchRelease(project: String, flag: String, operations: [JSONPatchOperation]) async throws -> Release {
        let paths = operations.map { "\($0.op) \($0.path)" }.joined(separator: ", ")
        let fields: [String: JSONValue] = ["flag": .string(flag), "ops": .string(paths)]
        return try await write("release.patch", project: project, flag: flag, fields: fields) {
            if let projection {
                return try await projection.patchRelease(project: project, flag: flag, operations: operations)
            }
            return try await client.patchRelease(project: project, flag: flag, operations: operations)
        } describe: { _ in
            "release of \(flag) patched (\(paths))"
        }
    }

    /// Starts a phase (`ReleaseClient.startPhase`); `known` is a release the caller holds,
    /// trusted instead of a fresh read.
    func startPhase(
        project: String, flag: String, phase: String?, audiences: [PhaseAudienceInput]?, known: Release? = nil
    ) async throws -> PhaseStartResult {
        var fields: [String: JSONValue] = ["flag": .string(flag)]
        if let phase { fields["phase"] = .string(phase) }
        let clients = clients
        let projection = projection
        let perform: @Sendable () async throws -> PhaseStartResult = {
            if let projection {
                return try await projection.startPhase(project: project, flag: flag, phase: phase)
            }
            return try await clients.get().startPhase(
                project: project, flag: flag, phaseId: phase, audiences: audiences, known: known)
        }
        return try await write(
            "phase.start", project: project, flag: flag, phase: phase, fields: fields,
            phaseOf: { Self.startedPhaseName($0, requested: phase) },
            outcomeOf: { if case .alreadyStarted = $0 { "already_started" } else { "ok" } },
            extraOf: { result in result.sentStatus.map { ["sent_status": .string($0)] } ?? [:] }, perform: perform,
            describe: { result in
                let name = result.flatMap { Self.startedPhaseName($0, requested: phase) } ?? phase ?? "next"
                if case .alreadyStarted = result { return "phase \(name) of \(flag) already started" }
                return "phase \(name) of \(flag) started"
            })
    }

    private static func startedPhaseName(_ result: PhaseStartResult, requested: String?) -> String? {
        let release = result.release
        if let requested, let phase = PhaseSelector.find(requested, in: release) { return phase.name }
        return PhaseSelector.active(in: release)?.name
            ?? release.phases.last(where: { $0.isComplete })?.name
    }

    /// Runs a write: in a dry run it is logged as "would …"; live, it is sent. Either way
    /// the outcome is journalled (fsynced) and announced before the caller continues.
    private func write<T: Sendable>(
        _ operation: String, project: String, flag: String, phase: String? = nil, fields: [String: JSONValue],
        phaseOf: @Sendable (T) -> String? = { _ in nil },
        outcomeOf: @Sendable (T) -> String = { _ in "ok" },
        extraOf: @Sendable (T) -> [String: JSONValue] = { _ in [:] },
        perform: @Sendable () async throws -> T, describe: @Sendable (T?) -> String
    ) async throws -> T {
        let key = "\(operation) \(project)/\(flag)"
        statuses.clear(key)
        do {
            let value = try await perform()
            let phase = phaseOf(value) ?? phase
            var fields = fields
            if let phase { fields["phase"] = .string(phase) }
            writes.withLock { $0 += 1 }
            var message = describe(value)
            var outcome = outcomeOf(value)
            if isDryRun {
                message = "would: " + message
                outcome = "dry_run"
            }
            events.emit(RunEvent(level: .info, name: isDryRun ? "would" : operation, message: message, fields: fields))
            try record(
                operation, outcome: outcome, project: project, flag: flag, phase: phase,
                status: isDryRun ? nil : statuses.status(of: key), extra: extraOf(value))
            return value
        } catch let error as ReleaseError {
            let outcome = Self.outcome(of: error)
            var extra: [String: JSONValue] = [:]
            if outcome == "unknown" {
                // What the next run needs to settle it (JournalSettlement).
                extra[JournalSettlement.writeIDField] = .string(JournalSettlement.newWriteID())
                extra[JournalSettlement.baseURIField] = .string(clients.baseURL.description)
            }
            try record(
                operation, outcome: outcome, project: project, flag: flag, phase: phase, status: error.status,
                message: error.description, extra: extra)
            throw error
        }
    }

    /// `unknown` when LaunchDarkly may have applied the write all the same (the run was
    /// interrupted while it was in flight, the request timed out, the connection broke, or
    /// the last answer was a 5xx), else `failed`: a refusal changed nothing.
    static func outcome(of error: ReleaseError) -> String {
        switch error.kind {
        case .interrupted, .timeout, .transport: return "unknown"
        default:
            if let status = error.status, (500...599).contains(status) { return "unknown" }
            return "failed"
        }
    }

    func record(
        _ operation: String, outcome: String, project: String, flag: String, phase: String?, status: Int?,
        message: String? = nil, extra: [String: JSONValue] = [:]
    ) throws {
        guard let journal else { return }
        try journal.append(
            Journal.Record(
                operation: operation, outcome: outcome, project: project, flag: flag, phase: phase, status: status,
                message: message, extra: extra))
    }
}
