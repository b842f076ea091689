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
    var configuration: AudienceConfigurationInput?
}

/// An audience's `configuration` in a request or seed: the spec's `AudienceConfiguration`,
/// whose `releaseStrategy` may be missing (the observed dialect then serves `""`).
struct AudienceConfigurationInput: Decodable, Sendable {
    var releaseStrategy: String?
    var requireApproval: Bool
    var notifyMemberIds: [String]?
    var notifyTeamKeys: [String]?
    var releaseGuardianConfiguration: ReleaseGuardianConfiguration?

    /// The configuration to store; `defaultReleaseStrategy` stands in for a missing
    /// `releaseStrategy`, which is refused when it is `nil`.
    func resolved(defaultReleaseStrategy: String?, field: String) throws(SimulatorError) -> AudienceConfiguration {
        guard let strategy = releaseStrategy ?? defaultReleaseStrategy else {
            throw .invalidRequest("\(field).releaseStrategy: required field missing")
        }
        return AudienceConfiguration(
            releaseStrategy: strategy,
            requireApproval: requireApproval,
            notifyMemberIds: notifyMemberIds,
            notifyTeamKeys: notifyTeamKeys,
            releaseGuardianConfiguration: releaseGuardianConfiguration
        )
    }
}
