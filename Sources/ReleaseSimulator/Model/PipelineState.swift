import Foundation

/// A release pipeline as the simulator stores it.
struct PipelineState: Sendable {
    var key: String
    var name: String
    var description: String
    var tags: [String]
    var phases: [PhaseDefinition]
    var isLegacy: Bool
    var createdAt: Date
    var version: Int

    /// Whether any audience of the pipeline targets the environment.
    func targets(environmentKey: String) -> Bool {
        phases.contains { phase in phase.audiences.contains { $0.environment.key == environmentKey } }
    }
}

/// A phase of a pipeline; releases copy it, keeping its id.
struct PhaseDefinition: Sendable {
    var id: String
    var name: String
    var audiences: [AudienceDefinition]

    /// Whether an audience of this phase needs an approval before the phase completes.
    var requiresApproval: Bool { audiences.contains { $0.configuration?.requireApproval == true } }
    /// Whether the phase is monitored by release guardian and so can regress.
    var isGuarded: Bool { audiences.contains(where: \.isGuarded) }
}

/// An audience of a phase: one environment, optionally narrowed to segments.
struct AudienceDefinition: Sendable {
    var id: String
    var name: String
    var environment: EnvironmentRecord
    var segmentKeys: [String]
    var configuration: AudienceConfiguration?

    /// Whether the audience is rolled out by a guarded (monitored) rollout.
    var isGuarded: Bool { configuration?.releaseGuardianConfiguration != nil }
}
