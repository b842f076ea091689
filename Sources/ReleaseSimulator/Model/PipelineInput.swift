/// The body of "create release pipeline" (`CreateReleasePipelineInput`); seeds use the
/// same shape, with optional `id`s on phases and audiences so that ids stay stable.
struct PipelineInput: Decodable, Sendable {
    var key: String
    var name: String
    var description: String?
    var tags: [String]?
    var phases: [PhaseInput]
    var isProjectDefault: Bool?
    var isLegacy: Bool?
}

/// The body of "update release pipeline" (`UpdateReleasePipelineInput`).
struct PipelineReplacementInput: Decodable, Sendable {
    var name: String
    var description: String?
    var tags: [String]?
    var phases: [PhaseInput]
}

/// One phase of a pipeline request (`CreatePhaseInput`).
struct PhaseInput: Decodable, Sendable {
    var id: String?
    var name: String
    var audiences: [AudienceInput]
}

/// One audience of a phase request (`AudiencePost`).
struct AudienceInput: Decodable, Sendable {
    var id: String?
    var environmentKey: String
    var name: String
    var segmentKeys: [String]?
    var configuration: AudienceConfiguration?
}
