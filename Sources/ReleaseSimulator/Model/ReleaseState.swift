/// The status of a release phase (or of one of its audiences). The raw values are the
/// spec's spelling; ``spelling(in:)`` gives the one a dialect serves.
enum PhaseStatus: String, Sendable, CaseIterable {
    case notStarted = "NotStarted"
    case readyToStart = "ReadyToStart"
    case started = "Started"
    case paused = "Paused"
    case complete = "Complete"

    /// The status as the dialect writes it: `Started` in the spec is `active` observed.
    func spelling(in dialect: SimulatorDialect) -> String {
        switch (dialect, self) {
        case (.spec, _): rawValue
        case (.observed, .notStarted): "not-started"
        case (.observed, .readyToStart): "ready-to-start"
        case (.observed, .started): "active"
        case (.observed, .paused): "paused"
        case (.observed, .complete): "completed"
        }
    }
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
    /// The dialect the release lives by: it decides the state machine and the spellings.
    var dialect: SimulatorDialect
    var version: Int
    var phases: [ReleasePhaseState]

    /// Starts a release of `pipeline` at `now` (epoch ms): every phase not yet started.
    /// A new release is `_version` 1 in the spec dialect, 0 observed.
    init(flagKey: String, pipeline: PipelineState, variationId: String?, now: Int64, dialect: SimulatorDialect) {
        self.flagKey = flagKey
        pipelineKey = pipeline.key
        pipelineName = pipeline.name
        pipelineDescription = pipeline.description
        isLegacy = pipeline.isLegacy
        self.variationId = variationId
        createdAt = now
        self.dialect = dialect
        version = dialect == .spec ? 1 : 0
        phases = pipeline.phases.map { ReleasePhaseState(definition: $0, creationDate: now) }
    }

    /// The status of the phase at `index`, derived from its flags and its predecessors:
    /// only the first incomplete phase, not started, is ready to start.
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

    /// Whether the release is done: every phase complete or, in the observed dialect
    /// (where the last phase never completes), the last phase started and rolled out.
    var isFinished: Bool {
        if isComplete { return true }
        guard dialect == .observed, let last = phases.indices.last else { return false }
        return phases[last].isRolledOut
    }

    /// When the release finished: its last completion or, observed, when its last phase
    /// was rolled out.
    var completedAt: Int64? {
        if isComplete { return phases.compactMap(\.completionDate).max() }
        guard isFinished, let last = phases.last else { return nil }
        return [last.startedDate, last.approvedDate, last.monitoringEndDate].compactMap { $0 }.max()
    }

    /// Where the release stands for progressions: the first incomplete phase, none once finished.
    var progressPhaseIndex: Int? { isFinished ? nil : currentPhaseIndex }

    func phaseIndex(id: String) -> Int? { phases.firstIndex { $0.definition.id == id } }

    /// The phase an admin action or a scenario names, by id or by name (`Staging`).
    func phaseIndex(idOrName reference: String) -> Int? {
        phaseIndex(id: reference) ?? phases.firstIndex { $0.definition.name == reference }
    }
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
    /// When the guarded rollout's monitoring ended (observed dialect); `nil` while it runs.
    var monitoringEndDate: Int64?
    var completionDate: Int64?

    init(definition: PhaseDefinition, creationDate: Int64) {
        self.definition = definition
        self.creationDate = creationDate
    }

    /// Whether the phase is started and not paused, and not complete.
    var isRunning: Bool { isStarted && !isPaused && !isComplete }

    /// Whether an audience requires approval and none was given yet.
    var isWaitingForApproval: Bool { definition.requiresApproval && approvedDate == nil }

    /// Whether a guarded rollout of the running phase is still being monitored.
    var isMonitoring: Bool { isRunning && definition.isGuarded && monitoringEndDate == nil }

    /// Whether LaunchDarkly has nothing left to do for the phase: it is complete, or it
    /// is running, approved if it needs approval, and its monitoring is over.
    var isRolledOut: Bool {
        isComplete || (isRunning && !isWaitingForApproval && !(definition.isGuarded && monitoringEndDate == nil))
    }

    /// Whether the flag is on in the phase's environments: it is complete, or started and
    /// approved if it needs approval.
    var turnsFlagOn: Bool { isComplete || (isStarted && !isWaitingForApproval) }

    /// Why the phase is not rolled out yet, as the end of a sentence naming it; `nil` if it is.
    var pendingReason: String? {
        if isComplete { return nil }
        if !isStarted { return "is not started" }
        if isPaused { return "is paused" }
        if isWaitingForApproval { return "is waiting for approval" }
        if isMonitoring { return "is still monitoring a guarded rollout" }
        return nil
    }
}
