/// A flag's release: its progress through the phases of a release pipeline
/// (schema `Release`). `raw` keeps the whole object as received.
public struct Release: Sendable, Hashable {
    /// The release pipeline name.
    public var name: String
    /// The key of the pipeline this release follows.
    public var pipelineKey: String
    public var pipelineDescription: String?
    /// The phases, in pipeline order.
    public var phases: [ReleasePhase]
    /// `_version`, incremented by every change.
    public var version: Int?
    /// `_releaseVariationId`: the variation served across all phases.
    public var releaseVariationId: String?
    /// `_canceledAt` (Unix ms) when the release was canceled.
    public var canceledAt: Int64?
    /// The object as received, unknown fields included.
    public var raw: JSONValue

    /// Decodes a `Release`; only `phases` (with each phase's `_id`) is strictly required.
    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "Release")
        name = try fields.string("name") ?? ""
        pipelineKey = try fields.string("releasePipelineKey") ?? ""
        pipelineDescription = try fields.string("releasePipelineDescription")
        phases = try fields.array("phases", required: true) { json throws(ReleaseError) in
            try ReleasePhase(json: json)
        }
        version = try fields.int("_version")
        releaseVariationId = try fields.string("_releaseVariationId")
        canceledAt = try fields.millis("_canceledAt")
        raw = json
    }

    /// Whether the release was canceled.
    public var isCanceled: Bool { canceledAt != nil }
}

/// One phase of a release (schema `ReleasePhase`).
public struct ReleasePhase: Sendable, Hashable {
    /// `_id`, the same id as the pipeline's phase.
    public var id: String
    /// `_name`.
    public var name: String
    /// The effective status: `status` when the API sent one, otherwise derived from the
    /// legacy `complete`/`started` booleans (`Complete`, `Started` or `NotStarted`).
    public var status: PhaseStatus
    /// `status` exactly as sent; `nil` for legacy releases that only have `complete`.
    public var reportedStatus: PhaseStatus?
    /// `complete` as sent.
    public var complete: Bool
    /// `started` as sent (`nil` when absent).
    public var started: Bool?
    public var audiences: [ReleaseAudience]
    public var creationDate: Int64?
    public var startedDate: Int64?
    public var completionDate: Int64?
    /// The phase configuration, free-form in the spec.
    public var configuration: JSONValue?
    /// The object as received.
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleasePhase")
        id = try fields.requiredString("_id")
        name = try fields.string("_name") ?? ""
        complete = try fields.bool("complete") ?? false
        started = try fields.bool("started")
        reportedStatus = try fields.string("status").map(PhaseStatus.init(rawValue:))
        audiences = try fields.array("_audiences") { json throws(ReleaseError) in try ReleaseAudience(json: json) }
        creationDate = try fields.millis("_creationDate")
        startedDate = try fields.millis("_startedDate")
        completionDate = try fields.millis("_completionDate")
        configuration = fields.value("configuration")
        raw = json
        status = Self.effectiveStatus(reported: reportedStatus, complete: complete, started: started)
    }

    static func effectiveStatus(reported: PhaseStatus?, complete: Bool, started: Bool?) -> PhaseStatus {
        switch reported {
        case .some(.unknown), nil:
            if complete { return .complete }
            if started == true { return .started }
            return reported ?? .notStarted
        case .some(let status):
            return status
        }
    }

    /// Complete: `status` is `Complete` or the `complete` flag is set.
    public var isComplete: Bool { complete || status == .complete }

    /// Started and not complete: `Started` or `Paused` (or, without a known status, `started`).
    public var isStarted: Bool {
        !isComplete && (status == .started || status == .paused)
    }

    /// Paused (regressed by a guarded rollout).
    public var isPaused: Bool { !isComplete && status == .paused }
}
