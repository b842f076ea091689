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
    /// Whether the flag is on, per environment key, when a caller has read the flag (not
    /// part of the API's release object). The rolled-out rule reads it for phases that
    /// require approval; `nil` when unknown.
    public var flagOn: [String: Bool]?

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

    /// A release made of phases built by ``ReleasePhase/init(selecting:complete:started:audiences:)``,
    /// for callers that hold the release in another form (a Lua table) and read only what
    /// the selection rules (`PhaseSelector`, `RolloutRule`) need. `raw` is an empty object.
    public init(selecting phases: [ReleasePhase], canceledAt: Int64?, flagOn: [String: Bool]?) {
        name = ""
        pipelineKey = ""
        self.phases = phases
        self.canceledAt = canceledAt
        self.flagOn = flagOn
        raw = .object([:])
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
    /// The effective status: `status` when the API sent a known one, otherwise derived from
    /// the `complete`/`started` booleans. The booleans count too: `complete: true` makes a
    /// phase complete whatever its status says.
    public var status: PhaseStatus
    /// `status` decoded; `nil` for legacy releases that only have `complete`.
    public var reportedStatus: PhaseStatus?
    /// `status` exactly as sent, in whichever dialect's spelling.
    public var rawStatus: String?
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
        rawStatus = try fields.string("status")
        reportedStatus = rawStatus.map(PhaseStatus.init(rawValue:))
        audiences = try fields.array("_audiences") { json throws(ReleaseError) in try ReleaseAudience(json: json) }
        creationDate = try fields.millis("_creationDate")
        startedDate = try fields.millis("_startedDate")
        completionDate = try fields.millis("_completionDate")
        configuration = fields.value("configuration")
        raw = json
        status = Self.effectiveStatus(reported: reportedStatus, complete: complete, started: started)
    }

    /// A phase from only the fields the selection rules read: `status`, `complete`,
    /// `started`, and `_audiences` (which matter only once the phase has started; `nil` when
    /// not read). Its `id` and `name` are empty; `raw` holds only `_audiences`.
    public init(
        selecting rawStatus: String?, complete: Bool, started: Bool?, audiences: JSONValue?
    ) throws(ReleaseError) {
        id = ""
        name = ""
        self.complete = complete
        self.started = started
        self.rawStatus = rawStatus
        reportedStatus = rawStatus.map(PhaseStatus.init(rawValue:))
        if let audiences {
            let fields = try JSONFields(.object(["_audiences": audiences]), model: "ReleasePhase")
            self.audiences = try fields.array("_audiences") { json throws(ReleaseError) in
                try ReleaseAudience(json: json)
            }
            raw = .object(["_audiences": audiences])
        } else {
            self.audiences = []
            raw = .object([:])
        }
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

    /// The dialect this phase's own `status` spelling shows, if it shows one.
    public var dialect: APIDialect? { rawStatus.flatMap(PhaseStatus.dialect(ofSpelling:)) }

    /// Complete: `status` is complete (`Complete`, `completed`) or the `complete` flag is set.
    public var isComplete: Bool { progress.isComplete }

    /// Started and not complete: started (`Started`, `active`) or paused (or, without a known
    /// status, the `started` flag).
    public var isStarted: Bool { progress.isStarted }

    /// Paused (regressed by a guarded rollout).
    public var isPaused: Bool { progress.isPaused }

    /// What the selection rules read of this phase.
    public var progress: PhaseProgress { PhaseProgress(status: status, complete: complete) }
}

/// How far a phase has got, as the selection rules (`PhaseSelector`) read it: its effective
/// status and its `complete` flag. A caller that holds phases in another form (a Lua table)
/// can make these from the three fields they come from, without a whole ``ReleasePhase``.
public struct PhaseProgress: Sendable, Hashable {
    /// The effective status (``ReleasePhase/status``).
    public var status: PhaseStatus
    /// `complete` as sent.
    public var complete: Bool

    public init(status: PhaseStatus, complete: Bool) {
        self.status = status
        self.complete = complete
    }

    /// The progress of a phase whose `status` (as sent, or `nil`), `complete` and `started`
    /// are these, decided as ``ReleasePhase`` decides them.
    public init(reportedStatus rawStatus: String?, complete: Bool, started: Bool?) {
        let reported = rawStatus.map(PhaseStatus.init(rawValue:))
        self.init(
            status: ReleasePhase.effectiveStatus(reported: reported, complete: complete, started: started),
            complete: complete)
    }

    /// Complete: the status says so, or `complete` is true whatever the status says.
    public var isComplete: Bool { complete || status == .complete }

    /// Started and not complete: started (`Started`, `active`) or paused (or, without a known
    /// status, the `started` flag).
    public var isStarted: Bool { !isComplete && (status == .started || status == .paused) }

    /// Paused (regressed by a guarded rollout).
    public var isPaused: Bool { !isComplete && status == .paused }

    /// Neither complete nor started: a phase ``PhaseSelector/next(in:)`` may pick.
    public var isWaiting: Bool { !isComplete && !isStarted }
}
