/// The progress of one flag's release on a pipeline (schema `ReleaseProgression`).
public struct ReleaseProgression: Sendable, Hashable {
    public var flagKey: String
    /// The phase the release is in now, if it is active.
    public var activePhaseId: String?
    public var createdAt: Int64?
    public var completedAt: Int64?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleaseProgression")
        flagKey = try fields.requiredString("flagKey")
        activePhaseId = try fields.string("activePhaseId")
        createdAt = try fields.millis("_createdAt")
        completedAt = try fields.millis("_completedAt")
        raw = json
    }
}

/// How many active releases sit in one phase (schema `PhaseInfo`).
public struct PhaseReleaseCount: Sendable, Hashable {
    public var id: String
    public var name: String
    public var releaseCount: Int
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "PhaseInfo")
        id = try fields.requiredString("_id")
        name = try fields.string("name") ?? ""
        releaseCount = try fields.int("releaseCount") ?? 0
        raw = json
    }
}

/// One page of release progressions (schema `ReleaseProgressionCollection`).
public struct ReleaseProgressionPage: Sendable, Hashable {
    public var items: [ReleaseProgression]
    public var phases: [PhaseReleaseCount]
    public var totalCount: Int
    public var activeCount: Int?
    public var completedCount: Int?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleaseProgressionCollection")
        items = try fields.array("items", required: true) { json throws(ReleaseError) in
            try ReleaseProgression(json: json)
        }
        phases = try fields.array("phases") { json throws(ReleaseError) in try PhaseReleaseCount(json: json) }
        totalCount = try fields.int("totalCount") ?? items.count
        activeCount = try fields.int("activeCount")
        completedCount = try fields.int("completedCount")
        raw = json
    }
}

/// Every release progression of a pipeline, all pages fetched, with the counts of the first page.
public struct ReleaseProgressionList: Sendable, Hashable {
    public var items: [ReleaseProgression]
    /// Active releases per phase.
    public var phases: [PhaseReleaseCount]
    public var totalCount: Int
    public var activeCount: Int?
    public var completedCount: Int?

    public init(
        items: [ReleaseProgression], phases: [PhaseReleaseCount], totalCount: Int, activeCount: Int?,
        completedCount: Int?
    ) {
        self.items = items
        self.phases = phases
        self.totalCount = totalCount
        self.activeCount = activeCount
        self.completedCount = completedCount
    }
}
