import Foundation

/// A release pipeline as the API returns it (the spec's `ReleasePipeline`).
struct PipelineRepresentation: Encodable, Sendable {
    var createdAt: String
    var description: String
    var key: String
    var name: String
    var phases: [PhaseRepresentation]
    var tags: [String]
    var version: Int
    var isProjectDefault: Bool
    var isLegacy: Bool

    init(_ pipeline: PipelineState, project: ProjectState) {
        createdAt = pipeline.createdAt.formatted(.iso8601)
        description = pipeline.description
        key = pipeline.key
        name = pipeline.name
        phases = pipeline.phases.map { PhaseRepresentation($0, projectKey: project.key) }
        tags = pipeline.tags
        version = pipeline.version
        isProjectDefault = project.defaultPipelineKey == pipeline.key
        isLegacy = pipeline.isLegacy
    }

    enum CodingKeys: String, CodingKey {
        case createdAt, description, key, name, phases, tags
        case version = "_version"
        case isProjectDefault
        case isLegacy = "_isLegacy"
    }
}

/// One phase of a pipeline (the spec's `Phase`).
struct PhaseRepresentation: Encodable, Sendable {
    struct Audience: Encodable, Sendable {
        var environment: EnvironmentRepresentation
        var name: String
        var configuration: AudienceConfiguration?
        var segmentKeys: [String]
    }

    var id: String
    var audiences: [Audience]
    var name: String
    var configuration: [String: String] = [:]

    init(_ phase: PhaseDefinition, projectKey: String) {
        id = phase.id
        name = phase.name
        audiences = phase.audiences.map {
            Audience(
                environment: EnvironmentRepresentation($0.environment, projectKey: projectKey),
                name: $0.name,
                configuration: $0.configuration,
                segmentKeys: $0.segmentKeys
            )
        }
    }
}

/// A page of pipelines (the spec's `ReleasePipelineCollection`).
struct PipelineCollectionRepresentation: Encodable, Sendable {
    var items: [PipelineRepresentation]
    var totalCount: Int
}
