import Foundation
import ReleaseCore

/// The local picture of releases during a dry run: reads start from the server, writes
/// change only this projection. Started phases complete at once, so a runbook runs to its
/// end and shows every write it would make.
actor DryRunProjection {
    private let clients: LazyReleaseClient
    private var client: ReleaseClient {
        get throws(ReleaseError) { try clients.get() }
    }
    /// Projected releases by `project/flag`; `.some(nil)` marks a deleted release.
    private var releases: [String: Release?] = [:]

    init(client: LazyReleaseClient) {
        self.clients = client
    }

    private func key(_ project: String, _ flag: String) -> String { project + "/" + flag }

    func release(project: String, flag: String) async throws -> Release? {
        if let projected = releases[key(project, flag)] { return projected }
        let fetched = try await client.release(project: project, flag: flag)
        if releases[key(project, flag)] == nil { releases[key(project, flag)] = .some(fetched) }
        return releases[key(project, flag)] ?? fetched
    }

    func createRelease(project: String, flag: String, pipeline: String, variation: String?) async throws -> Release {
        let operation = "release.create \(project)/\(flag)"
        if try await release(project: project, flag: flag) != nil {
            throw ReleaseError(
                .invalidRequest, message: "the flag already has a release", operation: operation,
                context: .init(project: project, flag: flag))
        }
        let definition = try await client.pipeline(project: project, key: pipeline)
        let now = JSONValue.integer(Int64(Date().timeIntervalSince1970 * 1000))
        let dialect = clients.ifBuilt?.dialect ?? .observed
        let phases: [JSONValue] = (definition.raw["phases"]?.arrayValue ?? []).enumerated().map { index, phase in
            let audiences = (phase["audiences"]?.arrayValue ?? []).enumerated().map { offset, audience in
                var fields = audience.objectValue ?? [:]
                fields["_id"] = fields["_id"] ?? .string("\(phase["id"]?.stringValue ?? "phase")-audience-\(offset)")
                return JSONValue.object(fields)
            }
            return .object([
                "_id": phase["id"] ?? .string("phase-\(index)"),
                "_name": phase["name"] ?? .string("Phase \(index + 1)"),
                "complete": false,
                "started": false,
                "status": .string((index == 0 ? PhaseStatus.readyToStart : .notStarted).spelling(in: dialect)),
                "_creationDate": now,
                "_audiences": .array(audiences),
            ])
        }
        var object: [String: JSONValue] = [
            "name": definition.raw["name"] ?? .string(pipeline),
            "releasePipelineKey": .string(pipeline),
            "releasePipelineDescription": definition.raw["description"] ?? .string(""),
            "phases": .array(phases),
            "_version": dialect == .observed ? 0 : 1,
        ]
        if let variation { object["_releaseVariationId"] = .string(variation) }
        let release = try Release(json: .object(object))
        releases[key(project, flag)] = .some(release)
        return release
    }

    func deleteRelease(project: String, flag: String) async throws {
        guard try await release(project: project, flag: flag) != nil else {
            throw ReleaseError(
                .notFound, message: "the flag has no release", operation: "release.delete \(project)/\(flag)",
                status: 404, context: .init(project: project, flag: flag))
        }
        releases[key(project, flag)] = .some(nil)
    }

    func patchRelease(project: String, flag: String, operations: [JSONPatchOperation]) async throws -> Release {
        let operation = "release.patch \(project)/\(flag)"
        guard let current = try await release(project: project, flag: flag) else {
            throw ReleaseError(
                .notFound, message: "the flag has no release", operation: operation, status: 404,
                context: .init(project: project, flag: flag))
        }
        var phases = current.raw["phases"]?.arrayValue ?? []
        for patch in operations {
            let parts = patch.path.split(separator: "/")
            guard patch.op == "replace", parts.count == 3, ["phases", "phase"].contains(parts[0]),
                parts[2] == "complete",
                let index = Int(parts[1]), phases.indices.contains(index), let complete = patch.value?.boolValue
            else {
                throw ReleaseError(
                    .invalidRequest, message: "unsupported patch \(patch.op) \(patch.path)", operation: operation)
            }
            phases[index] = Self.setting(phases[index], ["complete": .bool(complete)])
        }
        return try store(current, phases: phases, project: project, flag: flag)
    }

    func startPhase(project: String, flag: String, phase: String?) async throws -> PhaseStartResult {
        let operation = "phase.start \(project)/\(flag)"
        guard let current = try await release(project: project, flag: flag) else {
            throw ReleaseError(
                .notFound, message: "the flag has no release", operation: operation, status: 404,
                context: .init(project: project, flag: flag))
        }
        if let phase, PhaseSelector.find(phase, in: current) == nil {
            throw ReleaseError(
                .notFound, message: "the release has no phase '\(phase)'", operation: operation,
                context: .init(project: project, flag: flag, phaseId: phase, release: current.raw))
        }
        let target = phase.flatMap { PhaseSelector.find($0, in: current) } ?? PhaseSelector.next(in: current)
        guard let target, let index = PhaseSelector.index(ofPhase: target.id, in: current) else {
            throw ReleaseError(
                .invalidRequest, message: "no phase left to start", operation: operation,
                context: .init(project: project, flag: flag, release: current.raw))
        }
        if target.isStarted || target.isComplete { return .alreadyStarted(current) }
        let now = JSONValue.integer(Int64(Date().timeIntervalSince1970 * 1000))
        let dialect = APIDialect.of(current) ?? clients.ifBuilt?.dialect ?? .observed
        var phases = current.raw["phases"]?.arrayValue ?? []
        phases[index] = Self.setting(
            phases[index],
            [
                "started": true, "complete": true, "status": .string(PhaseStatus.complete.spelling(in: dialect)),
                "_startedDate": now, "_completionDate": now,
            ])
        if phases.indices.contains(index + 1) {
            phases[index + 1] = Self.setting(
                phases[index + 1], ["status": .string(PhaseStatus.readyToStart.spelling(in: dialect))])
        }
        let started = try store(current, phases: phases, project: project, flag: flag)
        // The value a real start would be sent with first.
        return .started(started, sent: clients.ifBuilt?.firstStartValue(for: current) ?? dialect.startValue)
    }

    private func store(_ current: Release, phases: [JSONValue], project: String, flag: String) throws -> Release {
        var object = current.raw.objectValue ?? [:]
        object["phases"] = .array(phases)
        object["_version"] = .integer((object["_version"]?.int64Value ?? 0) + 1)
        let release = try Release(json: .object(object))
        releases[key(project, flag)] = .some(release)
        return release
    }

    private static func setting(_ value: JSONValue, _ fields: [String: JSONValue]) -> JSONValue {
        var object = value.objectValue ?? [:]
        for (key, field) in fields { object[key] = field }
        return .object(object)
    }
}
