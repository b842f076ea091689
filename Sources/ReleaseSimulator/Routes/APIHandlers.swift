import Hummingbird

/// The handlers of the emulated LaunchDarkly endpoints: read the path, query and body,
/// ask the store, encode the answer.
struct APIHandlers: Sendable {
    let store: ReleaseStore

    func respond(_ route: SimulatorRoute, request: Request, context: SimulatorRequestContext) async throws -> Response {
        let project = context.parameter("projectKey")
        let flag = context.parameter("flagKey")
        let pipeline = context.parameter("pipelineKey")
        let query = request.uri.queryParameters
        switch route {
        case .releaseCreate:
            let input = try context.decodeBody(CreateReleaseInput.self)
            return try JSONResponse.make(try await store.createRelease(project: project, flag: flag, input: input))
        case .releaseGet:
            return try JSONResponse.make(try await store.release(project: project, flag: flag))
        case .releasePatch:
            let operations = try context.decodeBody([PatchOperation].self)
            return try JSONResponse.make(
                try await store.patchRelease(project: project, flag: flag, operations: operations))
        case .releaseDelete:
            try await store.deleteRelease(project: project, flag: flag)
            return JSONResponse.empty()
        case .phaseStart:
            let input = try context.decodeBody(UpdatePhaseStatusInput.self)
            let phaseId = context.parameter("phaseId")
            return try JSONResponse.make(
                try await store.updatePhaseStatus(project: project, flag: flag, phaseId: phaseId, input: input)
            )
        case .pipelineList:
            let filter = try PipelineFilter(query["filter"].map(String.init))
            let page = try PageRequest(limit: query["limit"].map(String.init), offset: query["offset"].map(String.init))
            return try JSONResponse.make(try await store.pipelines(project: project, filter: filter, page: page))
        case .pipelineCreate:
            let input = try context.decodeBody(PipelineInput.self)
            return try JSONResponse.make(
                try await store.createPipeline(project: project, input: input), status: .created)
        case .pipelineGet:
            return try JSONResponse.make(try await store.pipeline(project: project, key: pipeline))
        case .pipelineReplace:
            let input = try context.decodeBody(PipelineReplacementInput.self)
            return try JSONResponse.make(try await store.replacePipeline(project: project, key: pipeline, input: input))
        case .pipelineDelete:
            try await store.deletePipeline(project: project, key: pipeline)
            return JSONResponse.empty()
        case .pipelineReleases:
            let filter = try ProgressionFilter(query["filter"].map(String.init))
            let page = try PageRequest(limit: query["limit"].map(String.init), offset: query["offset"].map(String.init))
            return try JSONResponse.make(
                try await store.progressions(project: project, pipeline: pipeline, filter: filter, page: page)
            )
        case .flagGet:
            let filterEnv = query["filterEnv"].map(String.init)
            return try JSONResponse.make(try await store.flag(project: project, key: flag, filterEnv: filterEnv))
        }
    }
}
