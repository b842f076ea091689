import Foundation

/// All the simulator's data and its phase state machine, behind one actor so that
/// concurrent requests see consistent releases.
///
/// Phase completion is evaluated lazily: every access first advances the project's
/// releases to the current time, so no timers run.
actor ReleaseStore {
    private var seed: SimulatorSeed
    private(set) var phaseDuration: Duration
    /// The dialect every release created here lives by.
    private(set) var dialect: SimulatorDialect
    var projects: [String: ProjectState]
    /// Actions still to happen a while after a phase starts (``TimedPhaseAction``).
    var pendingActions: [TimedPhaseAction]

    init(
        seed: SimulatorSeed, phaseDuration: Duration, dialect: SimulatorDialect,
        now: @escaping @Sendable () -> Int64 = { Date().epochMilliseconds }, timedActions: [TimedPhaseAction] = []
    ) {
        self.clock = now
        self.seed = seed
        self.phaseDuration = phaseDuration
        self.dialect = dialect
        pendingActions = timedActions
        projects = Self.index(seed)
    }

    /// Restores the data of the seed; everything created since is lost.
    func reset(to newSeed: SimulatorSeed? = nil) {
        projects = Self.index(newSeed ?? seed)
    }

    /// Starts over with other data, phase duration, dialect, clock and timed actions.
    func reconfigure(_ configuration: SimulatorConfiguration) {
        seed = configuration.seed
        phaseDuration = configuration.phaseDuration
        dialect = configuration.dialect
        clock = configuration.now ?? { Date().epochMilliseconds }
        pendingActions = configuration.timedActions
        projects = Self.index(seed)
    }

    private static func index(_ seed: SimulatorSeed) -> [String: ProjectState] {
        Dictionary(seed.projects.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where time comes from (milliseconds since 1970).
    private var clock: @Sendable () -> Int64
    var now: Date { Date(timeIntervalSince1970: Double(clock()) / 1000) }
    var nowMilliseconds: Int64 { clock() }

    /// Runs `body` on a project after advancing its releases to now.
    func withProject<Result>(
        _ key: String,
        _ body: (inout ProjectState) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> Result {
        guard var project = projects[key] else { throw .notFound("project '\(key)' not found") }
        let now = nowMilliseconds
        if !pendingActions.isEmpty { applyTimedActions(to: &project, now: now) }
        for flagKey in project.releases.keys {
            project.releases[flagKey]?.advance(now: now, duration: phaseDuration)
        }
        defer { projects[key] = project }
        return try body(&project)
    }

    /// Runs `body` on the release of a flag; the flag is then turned on in every
    /// environment the release has reached.
    func withRelease<Result>(
        project projectKey: String,
        flag flagKey: String,
        _ body: (inout ReleaseState) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> Result {
        let now = nowMilliseconds
        return try withProject(projectKey) { project throws(SimulatorError) in
            guard project.flag(flagKey) != nil else { throw .notFound("flag '\(flagKey)' not found") }
            guard var release = project.releases[flagKey] else {
                throw .notFound("flag '\(flagKey)' has no release")
            }
            defer {
                project.releases[flagKey] = release
                project.turnOn(flag: flagKey, in: release.environmentsTurnedOn, at: now)
            }
            return try body(&release)
        }
    }

    // MARK: Releases

    func release(project: String, flag: String) throws(SimulatorError) -> ReleaseRepresentation {
        try withRelease(project: project, flag: flag) { release in ReleaseRepresentation(release, projectKey: project) }
    }

    func createRelease(project projectKey: String, flag flagKey: String, input: CreateReleaseInput)
        throws(SimulatorError) -> ReleaseRepresentation
    {
        let now = nowMilliseconds
        return try withProject(projectKey) { project throws(SimulatorError) in
            guard let flag = project.flag(flagKey) else { throw .notFound("flag '\(flagKey)' not found") }
            if let existing = project.releases[flagKey] {
                throw .invalidRequest(
                    "flag '\(flagKey)' already has a release on pipeline '\(existing.pipelineKey)'; delete it first"
                )
            }
            guard let pipelineIndex = project.pipelineIndex(input.releasePipelineKey) else {
                throw .notFound("releasePipelineKey: release pipeline '\(input.releasePipelineKey)' not found")
            }
            if let variationId = input.releaseVariationId, !flag.variations.contains(where: { $0.id == variationId }) {
                throw .invalidRequest("releaseVariationId: flag '\(flagKey)' has no variation '\(variationId)'")
            }
            let release = ReleaseState(
                flagKey: flagKey,
                pipeline: project.pipelines[pipelineIndex],
                variationId: input.releaseVariationId,
                now: now,
                dialect: dialect
            )
            project.releases[flagKey] = release
            return ReleaseRepresentation(release, projectKey: projectKey)
        }
    }

    func deleteRelease(project projectKey: String, flag flagKey: String) throws(SimulatorError) {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard project.flag(flagKey) != nil else { throw .notFound("flag '\(flagKey)' not found") }
            guard project.releases.removeValue(forKey: flagKey) != nil else {
                throw .notFound("flag '\(flagKey)' has no release")
            }
        }
    }

    /// The flag, for variation lookup and its state per environment; `filterEnv` (keys
    /// separated by commas) limits the environments served.
    func flag(project projectKey: String, key: String, filterEnv: String?) throws(SimulatorError)
        -> FlagRepresentation
    {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard let flag = project.flag(key) else { throw .notFound("flag '\(key)' not found") }
            var environments = project.environments
            if let filterEnv {
                let keys = Set(filterEnv.split(separator: ",").map(String.init))
                environments = environments.filter { keys.contains($0.key) }
            }
            return FlagRepresentation(flag, projectKey: projectKey, environments: environments)
        }
    }
}
