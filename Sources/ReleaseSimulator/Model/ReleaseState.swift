/// The status of a release phase, with the spec's exact values.
enum PhaseStatus: String, Sendable, CaseIterable {
    case notStarted = "NotStarted"
    case readyToStart = "ReadyToStart"
    case started = "Started"
    case paused = "Paused"
    case complete = "Complete"
}

/// A flag's release: a copy of its pipeline's phases and how far each has come.
struct ReleaseState: Sendable {
    var flagKey: String
    var pipelineKey: String
    var pipelineName: String
    var pipelineDescription: String
    var isLegacy: Bool
    var variationId: String?
    var createdAt: Int64
    var version = 1
    var phases: [ReleasePhaseState]

    /// Starts a release of `pipeline` at `now` (epoch ms): every phase not yet started.
    init(flagKey: String, pipeline: PipelineState, variationId: String?, now: Int64) {
        self.flagKey = flagKey
        pipelineKey = pipeline.key
        pipelineName = pipeline.name
        pipelineDescription = pipeline.description
        isLegacy = pipeline.isLegacy
        self.variationId = variationId
        createdAt = now
        phases = pipeline.phases.map { ReleasePhaseState(definition: $0, creationDate: now) }
    }

    /// The status of the phase at `index`, derived from its flags and its predecessors.
    func status(ofPhaseAt index: Int) -> PhaseStatus {
        let phase = phases[index]
        if phase.isComplete { return .complete }
        if phase.isPaused { return .paused }
        if phase.isStarted { return .started }
        let firstIncomplete = phases.firstIndex { !$0.isComplete }
        return firstIncomplete == index ? .readyToStart : .notStarted
    }

    /// The started or paused phase that is not complete yet, if any.
    var activePhaseIndex: Int? { phases.firstIndex { ($0.isStarted || $0.isPaused) && !$0.isComplete } }

    /// The first phase that is not complete: where the release currently stands.
    var currentPhaseIndex: Int? { phases.firstIndex { !$0.isComplete } }

    /// Whether every phase is complete.
    var isComplete: Bool { phases.allSatisfy(\.isComplete) }

    /// When the last phase completed, once the release is complete.
    var completedAt: Int64? { isComplete ? phases.compactMap(\.completionDate).max() : nil }

    func phaseIndex(id: String) -> Int? { phases.firstIndex { $0.definition.id == id } }
}

/// One phase of a release.
struct ReleasePhaseState: Sendable {
    var definition: PhaseDefinition
    var creationDate: Int64
    var isStarted = false
    var isPaused = false
    var isComplete = false
    var startedDate: Int64?
    var approvedDate: Int64?
    var completionDate: Int64?

    init(definition: PhaseDefinition, creationDate: Int64) {
        self.definition = definition
        self.creationDate = creationDate
    }
}
