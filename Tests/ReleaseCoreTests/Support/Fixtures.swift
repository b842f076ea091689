import Foundation
import ReleaseCore

/// Builders for release JSON in the shapes the API sends.
enum Fixtures {
    /// A phase with a `status` field (current pipelines), in either dialect's spelling; the
    /// booleans follow the status.
    static func phase(_ index: Int, status: String, name: String? = nil, audiences: [JSONValue] = []) -> JSONValue {
        let decoded = PhaseStatus(rawValue: status)
        return [
            "_id": .string("phase-\(index)"), "_name": .string(name ?? "Phase \(index)"),
            "complete": .bool(decoded == .complete),
            "started": .bool([.started, .paused, .complete].contains(decoded)),
            "status": .string(status), "_creationDate": 1_684_262_711_507, "_audiences": .array(audiences),
        ]
    }

    /// An audience of a release phase, for environment `environment`.
    static func audience(
        _ environment: String, approval: Bool = false, guarded: Bool = false, status: String? = nil
    ) -> JSONValue {
        var configuration: JSONValue = [
            "releaseStrategy": guarded ? "monitored-release" : "immediate-rollout", "requireApproval": .bool(approval),
        ]
        if guarded { configuration["releaseGuardianConfiguration"] = ["monitoringWindowMilliseconds": 60000] }
        var audience: JSONValue = [
            "_id": .string("audience-\(environment)"), "name": .string(environment.capitalized),
            "environment": ["key": .string(environment), "name": .string(environment.capitalized)],
            "configuration": configuration,
        ]
        if let status { audience["status"] = .string(status) }
        return audience
    }

    /// A legacy phase: only the `complete` boolean.
    static func legacyPhase(_ index: Int, complete: Bool) -> JSONValue {
        [
            "_id": .string("phase-\(index)"), "_name": .string("Phase \(index)"), "complete": .bool(complete),
            "_creationDate": 1_684_262_711_507, "_audiences": [],
        ]
    }

    static func releaseJSON(phases: [JSONValue], canceledAt: Int64? = nil) -> JSONValue {
        var release: JSONValue = [
            "name": "Standard", "releasePipelineKey": "standard", "releasePipelineDescription": "",
            "phases": .array(phases), "_version": 1,
        ]
        if let canceledAt { release["_canceledAt"] = .integer(canceledAt) }
        return release
    }

    static func release(statuses: [String], canceledAt: Int64? = nil) throws -> Release {
        try Release(
            json: releaseJSON(
                phases: statuses.enumerated().map { phase($0.offset + 1, status: $0.element) }, canceledAt: canceledAt))
    }

    static func legacyRelease(complete: [Bool]) throws -> Release {
        try Release(
            json: releaseJSON(phases: complete.enumerated().map { legacyPhase($0.offset + 1, complete: $0.element) }))
    }
}
