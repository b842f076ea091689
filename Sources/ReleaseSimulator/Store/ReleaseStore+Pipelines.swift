/// Release pipelines: list, get, create, replace, delete.
extension ReleaseStore {
    /// What a pipeline request without an audience `releaseStrategy` gets: `""` observed
    /// (as a real account serves it); the spec requires the field.
    private var defaultReleaseStrategy: String? { dialect == .observed ? "" : nil }

    func pipelines(project projectKey: String, filter: PipelineFilter, page: PageRequest)
        throws(SimulatorError) -> PipelineCollectionRepresentation
    {
        try withProject(projectKey) { project in
            let matching = project.pipelines.filter { filter.matches($0) }
            return PipelineCollectionRepresentation(
                items: page.slice(matching).map { PipelineRepresentation($0, project: project) },
                totalCount: matching.count
            )
        }
    }

    func pipeline(project projectKey: String, key: String) throws(SimulatorError) -> PipelineRepresentation {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard let index = project.pipelineIndex(key) else { throw .notFound("release pipeline '\(key)' not found") }
            return PipelineRepresentation(project.pipelines[index], project: project)
        }
    }

    func createPipeline(project projectKey: String, input: PipelineInput) throws(SimulatorError)
        -> PipelineRepresentation
    {
        let now = self.now
        return try withProject(projectKey) { project throws(SimulatorError) in
            guard project.pipelineIndex(input.key) == nil else {
                throw .conflict("release pipeline '\(input.key)' already exists")
            }
            guard project.pipelines.count < ProjectState.maximumPipelineCount else {
                throw .invalidRequest(
                    "a project can have at most \(ProjectState.maximumPipelineCount) release pipelines")
            }
            guard !input.key.isEmpty else { throw .invalidRequest("key: must not be empty") }
            let pipeline = try project.makePipeline(
                key: input.key, name: input.name, description: input.description, tags: input.tags,
                phases: input.phases, isLegacy: input.isLegacy ?? false, createdAt: now,
                defaultReleaseStrategy: defaultReleaseStrategy
            )
            project.pipelines.append(pipeline)
            if project.defaultPipelineKey == nil || input.isProjectDefault == true {
                project.defaultPipelineKey = pipeline.key
            }
            return PipelineRepresentation(pipeline, project: project)
        }
    }

    func replacePipeline(project projectKey: String, key: String, input: PipelineReplacementInput)
        throws(SimulatorError) -> PipelineRepresentation
    {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard let index = project.pipelineIndex(key) else { throw .notFound("release pipeline '\(key)' not found") }
            let existing = project.pipelines[index]
            project.pipelines[index] = try project.makePipeline(
                key: key, name: input.name, description: input.description, tags: input.tags,
                phases: input.phases, isLegacy: existing.isLegacy, createdAt: existing.createdAt, existing: existing,
                defaultReleaseStrategy: defaultReleaseStrategy
            )
            return PipelineRepresentation(project.pipelines[index], project: project)
        }
    }

    func deletePipeline(project projectKey: String, key: String) throws(SimulatorError) {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard let index = project.pipelineIndex(key) else { throw .notFound("release pipeline '\(key)' not found") }
            guard project.defaultPipelineKey != key else {
                throw .forbidden("release pipeline '\(key)' is the project's default and cannot be deleted")
            }
            project.pipelines.remove(at: index)
        }
    }

    /// The progress of every release on a pipeline, with counts per phase.
    func progressions(project projectKey: String, pipeline key: String, filter: ProgressionFilter, page: PageRequest)
        throws(SimulatorError) -> ProgressionCollectionRepresentation
    {
        try withProject(projectKey) { project throws(SimulatorError) in
            guard let index = project.pipelineIndex(key) else { throw .notFound("release pipeline '\(key)' not found") }
            let releases = project.releases.values.filter { $0.pipelineKey == key }.sorted {
                ($0.createdAt, $0.flagKey) < ($1.createdAt, $1.flagKey)
            }
            let active = releases.filter { !$0.isFinished }
            let matching = releases.filter { filter.matches($0) }
            let phases = project.pipelines[index].phases.map { phase in
                PhaseInfoRepresentation(
                    id: phase.id,
                    name: phase.name,
                    releaseCount: active.count { release in
                        release.progressPhaseIndex.map { release.phases[$0].definition.id } == phase.id
                    }
                )
            }
            return ProgressionCollectionRepresentation(
                activeCount: active.count,
                completedCount: releases.count - active.count,
                items: page.slice(matching).map { ProgressionRepresentation($0, projectKey: projectKey) },
                phases: phases,
                totalCount: matching.count,
                links: Link.selfLinks("/api/v2/projects/\(projectKey)/release-pipelines/\(key)/releases")
            )
        }
    }
}
