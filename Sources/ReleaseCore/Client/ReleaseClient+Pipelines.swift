import NIOHTTP1

extension ReleaseClient {
    /// Every release pipeline of the project (all pages), optionally filtered by a text `query`
    /// (matches key, name and description) and an environment key.
    public func pipelines(
        project: String? = nil, query: String? = nil, environment: String? = nil
    ) async throws -> [ReleasePipeline] {
        let project = try resolveProject(project, operation: "pipeline.list")
        var filters: [String] = []
        if let query { filters.append("query:\(percentEncoded(query))") }
        if let environment { filters.append("env:\(percentEncoded(environment))") }
        var pipelines: [ReleasePipeline] = []
        var offset = 0
        while true {
            let request = APIRequest(
                operation: "pipeline.list \(project)", method: .GET,
                path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines"
                    + pageQuery(filter: filters, offset: offset),
                route: "/api/v2/projects/{projectKey}/release-pipelines", context: .init(project: project))
            let page = try decode(try await send(request), as: request) { json throws(ReleaseError) in
                let fields = try JSONFields(json, model: "ReleasePipelineCollection")
                let items = try fields.array("items", required: true) { json throws(ReleaseError) in
                    try ReleasePipeline(json: json)
                }
                return (items, try fields.int("totalCount"))
            }
            pipelines += page.0
            offset += page.0.count
            if page.0.isEmpty || offset >= (page.1 ?? 0) { return pipelines }
        }
    }

    /// The pipeline with `key`.
    public func pipeline(project: String? = nil, key: String) async throws -> ReleasePipeline {
        let project = try resolveProject(project, operation: "pipeline.get \(key)")
        let request = pipelineRequest("pipeline.get", .GET, project: project, key: key)
        return try decode(try await send(request), as: request) { json throws(ReleaseError) in
            try ReleasePipeline(json: json)
        }
    }

    /// Creates a pipeline from a `CreateReleasePipelineInput` object (`key`, `name`, `phases`, ...).
    /// Not retried after an ambiguous failure (POST).
    public func createPipeline(project: String? = nil, definition: JSONValue) async throws -> ReleasePipeline {
        let project = try resolveProject(project, operation: "pipeline.create")
        let key = definition["key"]?.stringValue ?? "?"
        let request = APIRequest(
            operation: "pipeline.create \(project)/\(key)", method: .POST,
            path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines",
            route: "/api/v2/projects/{projectKey}/release-pipelines", body: definition,
            context: .init(project: project))
        return try decode(try await send(request), as: request) { json throws(ReleaseError) in
            try ReleasePipeline(json: json)
        }
    }

    /// Replaces a pipeline with an `UpdateReleasePipelineInput` object (`name`, `phases`, ...).
    public func replacePipeline(
        project: String? = nil, key: String, definition: JSONValue
    ) async throws -> ReleasePipeline {
        let project = try resolveProject(project, operation: "pipeline.replace \(key)")
        var request = pipelineRequest("pipeline.replace", .PUT, project: project, key: key)
        request.body = definition
        return try decode(try await send(request), as: request) { json throws(ReleaseError) in
            try ReleasePipeline(json: json)
        }
    }

    /// Deletes a pipeline (not the project's default one).
    public func deletePipeline(project: String? = nil, key: String) async throws {
        let project = try resolveProject(project, operation: "pipeline.delete \(key)")
        _ = try await send(pipelineRequest("pipeline.delete", .DELETE, project: project, key: key))
    }

    /// The progress of every release on a pipeline (all pages), filtered by `status`
    /// (`active` or `completed`) and/or the active phase.
    public func releaseProgressions(
        project: String? = nil, pipelineKey: String, status: String? = nil, activePhaseId: String? = nil
    ) async throws -> ReleaseProgressionList {
        let project = try resolveProject(project, operation: "pipeline.releases \(pipelineKey)")
        var filters: [String] = []
        if let status { filters.append("status:\(percentEncoded(status))") }
        if let activePhaseId { filters.append("activePhaseId:\(percentEncoded(activePhaseId))") }
        var list: ReleaseProgressionList?
        var offset = 0
        while true {
            let request = APIRequest(
                operation: "pipeline.releases \(project)/\(pipelineKey)", method: .GET,
                path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines/\(percentEncoded(pipelineKey))"
                    + "/releases" + pageQuery(filter: filters, offset: offset),
                route: "/api/v2/projects/{projectKey}/release-pipelines/{pipelineKey}/releases",
                context: .init(project: project))
            let page = try decode(try await send(request), as: request) { json throws(ReleaseError) in
                try ReleaseProgressionPage(json: json)
            }
            if var accumulated = list {
                accumulated.items += page.items
                list = accumulated
            } else {
                list = ReleaseProgressionList(
                    items: page.items, phases: page.phases, totalCount: page.totalCount,
                    activeCount: page.activeCount, completedCount: page.completedCount)
            }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.totalCount { return list! }
        }
    }

    /// The feature flag `key`, optionally with only one environment's configuration.
    public func flag(project: String? = nil, key: String, environment: String? = nil) async throws -> FeatureFlag {
        let project = try resolveProject(project, operation: "flag.get \(key)")
        let query = environment.map { "?env=\(percentEncoded($0))" } ?? ""
        let request = APIRequest(
            operation: "flag.get \(project)/\(key)", method: .GET,
            path: "/api/v2/flags/\(percentEncoded(project))/\(percentEncoded(key))\(query)",
            route: "/api/v2/flags/{projectKey}/{featureFlagKey}", isBeta: false,
            context: .init(project: project, flag: key))
        return try decode(try await send(request), as: request) { json throws(ReleaseError) in
            try FeatureFlag(json: json)
        }
    }

    private func pipelineRequest(
        _ operation: String, _ method: HTTPMethod, project: String, key: String
    ) -> APIRequest {
        APIRequest(
            operation: "\(operation) \(project)/\(key)", method: method,
            path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines/\(percentEncoded(key))",
            route: "/api/v2/projects/{projectKey}/release-pipelines/{pipelineKey}", context: .init(project: project))
    }

    /// `?filter=a:b,c:d&limit=N&offset=M` (filter values are percent-encoded by the caller).
    private func pageQuery(filter: [String], offset: Int) -> String {
        var items: [String] = []
        if !filter.isEmpty { items.append("filter=" + filter.joined(separator: ",")) }
        items.append("limit=\(configuration.pageSize)")
        items.append("offset=\(offset)")
        return "?" + items.joined(separator: "&")
    }
}
