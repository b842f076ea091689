/// A release as the API returns it (the spec's `Release`).
struct ReleaseRepresentation: Encodable, Sendable {
    var links: [String: Link]
    var name: String
    var releasePipelineKey: String
    var releasePipelineDescription: String
    var phases: [ReleasePhaseRepresentation]
    var version: Int
    var releaseVariationId: String?

    init(_ release: ReleaseState, projectKey: String) {
        links = Link.selfLinks("/api/v2/flags/\(projectKey)/\(release.flagKey)/release")
        name = release.pipelineName
        releasePipelineKey = release.pipelineKey
        releasePipelineDescription = release.pipelineDescription
        phases = release.phases.indices.map { index in
            ReleasePhaseRepresentation(release, phaseAt: index, projectKey: projectKey)
        }
        version = release.version
        releaseVariationId = release.variationId
    }

    enum CodingKeys: String, CodingKey {
        case links = "_links"
        case name, releasePipelineKey, releasePipelineDescription, phases
        case version = "_version"
        case releaseVariationId = "_releaseVariationId"
    }
}

/// One phase of a release (the spec's `ReleasePhase`).
struct ReleasePhaseRepresentation: Encodable, Sendable {
    var id: String
    var name: String
    var complete: Bool
    var creationDate: Int64
    var completionDate: Int64?
    var completedBy: CompletedByRepresentation?
    var audiences: [ReleaseAudienceRepresentation]
    var status: String
    var started: Bool
    var startedDate: Int64?
    var configuration: [String: String] = [:]

    init(_ release: ReleaseState, phaseAt index: Int, projectKey: String) {
        let phase = release.phases[index]
        id = phase.definition.id
        name = phase.definition.name
        complete = phase.isComplete
        creationDate = phase.creationDate
        completionDate = phase.completionDate
        completedBy = phase.isComplete ? .simulator : nil
        audiences = phase.definition.audiences.map { audience in
            ReleaseAudienceRepresentation(
                audience, status: release.status(of: audience, inPhaseAt: index).spelling(in: release.dialect),
                projectKey: projectKey)
        }
        status = release.status(ofPhaseAt: index).spelling(in: release.dialect)
        started = phase.isStarted
        startedDate = phase.startedDate
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name = "_name"
        case complete
        case creationDate = "_creationDate"
        case completionDate = "_completionDate"
        case completedBy = "_completedBy"
        case audiences = "_audiences"
        case status, started
        case startedDate = "_startedDate"
        case configuration
    }
}

/// One audience of a release phase (the spec's `ReleaseAudience`).
struct ReleaseAudienceRepresentation: Encodable, Sendable {
    var id: String
    var name: String
    var environment: EnvironmentRepresentation
    var configuration: AudienceConfiguration?
    var segmentKeys: [String]
    var status: String

    init(_ audience: AudienceDefinition, status: String, projectKey: String) {
        id = audience.id
        name = audience.name
        environment = EnvironmentRepresentation(audience.environment, projectKey: projectKey)
        configuration = audience.configuration
        segmentKeys = audience.segmentKeys
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, environment, configuration, segmentKeys, status
    }
}

/// Who completed a phase (the spec's `CompletedBy`): always the simulator's service token.
struct CompletedByRepresentation: Encodable, Sendable {
    struct Token: Encodable, Sendable {
        var id: String
        var name: String
        var serviceToken: Bool

        enum CodingKeys: String, CodingKey {
            case id = "_id"
            case name, serviceToken
        }
    }

    var token: Token

    static let simulator = CompletedByRepresentation(
        token: Token(id: "5e1a00000000000000005e1a", name: "ldrun simulator", serviceToken: true)
    )
}
