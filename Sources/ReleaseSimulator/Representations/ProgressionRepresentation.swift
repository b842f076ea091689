/// The releases of one pipeline (the spec's `ReleaseProgressionCollection`).
struct ProgressionCollectionRepresentation: Encodable, Sendable {
    var activeCount: Int
    var completedCount: Int
    var items: [ProgressionRepresentation]
    var phases: [PhaseInfoRepresentation]
    var totalCount: Int
    var links: [String: Link]

    enum CodingKeys: String, CodingKey {
        case activeCount, completedCount, items, phases, totalCount
        case links = "_links"
    }
}

/// One release's progress (the spec's `ReleaseProgression`).
struct ProgressionRepresentation: Encodable, Sendable {
    var createdAt: Int64
    var completedAt: Int64?
    var flagKey: String
    var activePhaseId: String?
    var links: [String: Link]

    init(_ release: ReleaseState, projectKey: String) {
        createdAt = release.createdAt
        completedAt = release.completedAt
        flagKey = release.flagKey
        activePhaseId = release.progressPhaseIndex.map { release.phases[$0].definition.id }
        links = Link.selfLinks("/api/v2/flags/\(projectKey)/\(release.flagKey)/release")
    }

    enum CodingKeys: String, CodingKey {
        case createdAt = "_createdAt"
        case completedAt = "_completedAt"
        case flagKey, activePhaseId
        case links = "_links"
    }
}

/// How many active releases stand in one phase (the spec's `PhaseInfo`).
struct PhaseInfoRepresentation: Encodable, Sendable {
    var id: String
    var name: String
    var releaseCount: Int

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, releaseCount
    }
}
