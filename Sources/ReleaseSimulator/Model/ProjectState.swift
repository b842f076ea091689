import Foundation

/// One project: its environments, pipelines, flags and the releases of those flags.
struct ProjectState: Sendable {
    var key: String
    var name: String
    var environments: [EnvironmentRecord]
    /// Pipelines in creation order.
    var pipelines: [PipelineState] = []
    var defaultPipelineKey: String?
    /// Flags in seed order.
    var flags: [FlagState] = []
    /// The current release of each flag that has one, by flag key.
    var releases: [String: ReleaseState] = [:]
    var identifiers = IdentifierGenerator()

    /// The most pipelines a project may have, as on LaunchDarkly.
    static let maximumPipelineCount = 20

    func pipelineIndex(_ key: String) -> Int? { pipelines.firstIndex { $0.key == key } }
    func flag(_ key: String) -> FlagState? { flags.first { $0.key == key } }

    /// Turns a flag on in environments (once: the first time is kept).
    mutating func turnOn(flag key: String, in environmentKeys: Set<String>, at date: Int64) {
        guard let index = flags.firstIndex(where: { $0.key == key }) else { return }
        for environmentKey in environmentKeys where flags[index].turnedOn[environmentKey] == nil {
            flags[index].turnedOn[environmentKey] = date
        }
    }

    /// Builds a pipeline from a request or seed, checking that its environments exist.
    /// `existing` supplies the phase and audience ids to keep when a pipeline is replaced;
    /// `defaultReleaseStrategy` stands in for a missing `releaseStrategy` (`nil`: refused).
    mutating func makePipeline(
        key: String,
        name: String,
        description: String?,
        tags: [String]?,
        phases: [PhaseInput],
        isLegacy: Bool,
        createdAt: Date,
        existing: PipelineState? = nil,
        defaultReleaseStrategy: String? = nil
    ) throws(SimulatorError) -> PipelineState {
        guard !phases.isEmpty else { throw .invalidRequest("phases: a pipeline needs at least one phase") }
        var definitions: [PhaseDefinition] = []
        for (phaseIndex, phase) in phases.enumerated() {
            let previous = existing?.phases.indices.contains(phaseIndex) == true ? existing?.phases[phaseIndex] : nil
            var audiences: [AudienceDefinition] = []
            for (audienceIndex, audience) in phase.audiences.enumerated() {
                let field = "phases[\(phaseIndex)].audiences[\(audienceIndex)].environmentKey"
                guard let environment = environments.first(where: { $0.key == audience.environmentKey }) else {
                    throw .invalidRequest("\(field): unknown environment '\(audience.environmentKey)'")
                }
                let configuration = try audience.configuration?.resolved(
                    defaultReleaseStrategy: defaultReleaseStrategy,
                    field: "phases[\(phaseIndex)].audiences[\(audienceIndex)].configuration")
                let previousAudience =
                    previous?.audiences.indices.contains(audienceIndex) == true
                    ? previous?.audiences[audienceIndex] : nil
                audiences.append(
                    AudienceDefinition(
                        id: audience.id ?? previousAudience?.id ?? identifiers.next(),
                        name: audience.name,
                        environment: environment,
                        segmentKeys: audience.segmentKeys ?? [],
                        configuration: configuration
                    )
                )
            }
            guard !audiences.isEmpty else {
                throw .invalidRequest("phases[\(phaseIndex)].audiences: a phase needs at least one audience")
            }
            let id = phase.id ?? previous?.id ?? identifiers.next()
            guard !definitions.contains(where: { $0.id == id }) else {
                throw .invalidRequest("phases[\(phaseIndex)].id: duplicate phase id '\(id)'")
            }
            definitions.append(PhaseDefinition(id: id, name: phase.name, audiences: audiences))
        }
        return PipelineState(
            key: key,
            name: name,
            description: description ?? "",
            tags: tags ?? [],
            phases: definitions,
            isLegacy: isLegacy,
            createdAt: createdAt,
            version: (existing?.version ?? 0) + 1
        )
    }

    /// Builds a flag from a seed entry.
    mutating func makeFlag(_ input: FlagInput, creationDate: Int64) -> FlagState {
        let variations =
            input.variations ?? [
                VariationInput(value: true, name: "Enabled"), VariationInput(value: false, name: "Disabled"),
            ]
        return FlagState(
            key: input.key,
            name: input.name ?? input.key,
            description: input.description ?? "",
            tags: input.tags ?? [],
            temporary: input.temporary ?? true,
            variations: variations.map {
                VariationRecord(
                    id: $0.id ?? identifiers.next(), value: $0.value, name: $0.name, description: $0.description)
            },
            creationDate: creationDate,
            version: 1
        )
    }
}

/// Deterministic ids shaped like LaunchDarkly's (24 hexadecimal digits).
struct IdentifierGenerator: Sendable {
    private var counter: UInt64 = 0

    mutating func next() -> String {
        counter += 1
        let digits = String(counter, radix: 16)
        return "5e1a" + String(repeating: "0", count: 20 - digits.count) + digits
    }
}
