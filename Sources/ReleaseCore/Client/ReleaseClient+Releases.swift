import NIOHTTP1

extension ReleaseClient {
    /// The flag's current release, or `nil` when it has none (404).
    public func release(project: String? = nil, flag: String) async throws -> Release? {
        let project = try resolveProject(project, operation: "release.get \(flag)")
        var request = releaseRequest("release.get", .GET, project: project, flag: flag)
        request.notFoundIsAnswer = true
        let response = try await send(request)
        guard response.status != 404 else { return nil }
        return try decodeRelease(response, as: request)
    }

    /// Adds the flag to a release pipeline; `releaseVariationId` picks the variation to release.
    ///
    /// Retried like any PUT; when a retry after an ambiguous failure is refused because the
    /// flag now has a release on this pipeline, that release (created by the earlier attempt)
    /// is returned.
    public func createRelease(
        project: String? = nil, flag: String, pipelineKey: String, releaseVariationId: String? = nil
    ) async throws -> Release {
        let project = try resolveProject(project, operation: "release.create \(flag)")
        var body: [String: JSONValue] = ["releasePipelineKey": .string(pipelineKey)]
        if let releaseVariationId { body["releaseVariationId"] = .string(releaseVariationId) }
        let request = APIRequest(
            operation: "release.create \(project)/\(flag)", method: .PUT,
            path: "/api/v2/projects/\(percentEncoded(project))/flags/\(percentEncoded(flag))/release",
            route: "/api/v2/projects/{projectKey}/flags/{flagKey}/release", body: .object(body),
            context: .init(project: project, flag: flag))
        let failure: ReleaseError
        do {
            return try decodeRelease(try await send(request), as: request)
        } catch {
            failure = error
        }
        guard failure.followsAmbiguousAttempt, failure.status == 400,
            let existing = try await release(project: project, flag: flag), existing.pipelineKey == pipelineKey
        else { throw failure }
        return existing
    }

    /// JSON-patches a legacy-pipeline release (mark phases complete or incomplete).
    /// Not retried after an ambiguous failure (PATCH).
    public func patchRelease(
        project: String? = nil, flag: String, operations: [JSONPatchOperation]
    ) async throws -> Release {
        let project = try resolveProject(project, operation: "release.patch \(flag)")
        var request = releaseRequest("release.patch", .PATCH, project: project, flag: flag)
        request.body = .array(operations.map(\.json))
        return try decodeRelease(try await send(request), as: request)
    }

    /// Removes the flag from its release pipeline.
    public func deleteRelease(project: String? = nil, flag: String) async throws {
        let project = try resolveProject(project, operation: "release.delete \(flag)")
        _ = try await send(releaseRequest("release.delete", .DELETE, project: project, flag: flag))
    }

    /// Sets a phase's status (`{"status": ..., "audiences": [...]}`) in one request. `.started`
    /// is sent as `phaseStartValue`; other statuses in the spelling of the dialect last seen.
    ///
    /// Status changes are not idempotent in effect, so an ambiguous failure (5xx, timeout,
    /// dropped connection) is not retried blindly; use `startPhase` to start a phase exactly once.
    public func updatePhaseStatus(
        project: String? = nil, flag: String, phaseId: String, status: PhaseStatus,
        audiences: [PhaseAudienceInput]? = nil
    ) async throws -> Release {
        let project = try resolveProject(project, operation: "phase.update \(flag)")
        let value = status == .started ? phaseStartValue : status.spelling(in: dialect ?? .spec)
        let request = phaseStatusRequest(
            project: project, flag: flag, phaseId: phaseId, status: value, audiences: audiences,
            operation: "phase.update")
        return try decodeRelease(try await send(request), as: request)
    }

    /// Decodes a release response and notes the dialect it shows.
    func decodeRelease(_ response: APIResponse, as request: APIRequest) throws(ReleaseError) -> Release {
        let release = try decode(response, as: request) { json throws(ReleaseError) in try Release(json: json) }
        observe(release)
        return release
    }

    func phaseStatusRequest(
        project: String, flag: String, phaseId: String, status: String, audiences: [PhaseAudienceInput]?,
        operation: String
    ) -> APIRequest {
        var body: [String: JSONValue] = ["status": .string(status)]
        if let audiences { body["audiences"] = .array(audiences.map(\.json)) }
        var request = APIRequest(
            operation: "\(operation) \(project)/\(flag)", method: .PUT,
            path: "/api/v2/projects/\(percentEncoded(project))/flags/\(percentEncoded(flag))/release/phases/"
                + percentEncoded(phaseId),
            route: "/api/v2/projects/{projectKey}/flags/{flagKey}/release/phases/{phaseId}", body: .object(body),
            context: .init(project: project, flag: flag, phaseId: phaseId))
        request.retriesAmbiguousFailures = false
        return request
    }

    private func releaseRequest(
        _ operation: String, _ method: NIOHTTP1.HTTPMethod, project: String, flag: String
    ) -> APIRequest {
        APIRequest(
            operation: "\(operation) \(project)/\(flag)", method: method,
            path: "/api/v2/flags/\(percentEncoded(project))/\(percentEncoded(flag))/release",
            route: "/api/v2/flags/{projectKey}/{flagKey}/release", context: .init(project: project, flag: flag))
    }

    /// Decodes a response body with `decode`, naming the operation in a `decoding` error.
    func decode<T>(
        _ response: APIResponse, as request: APIRequest, _ decode: (JSONValue) throws(ReleaseError) -> T
    ) throws(ReleaseError) -> T {
        guard let json = response.json else {
            throw ReleaseError(
                .decoding, message: "empty response body", operation: request.operation, status: response.status,
                context: request.context)
        }
        do {
            return try decode(json)
        } catch {
            var error = error
            error.operation = request.operation
            error.status = response.status
            error.context = request.context
            throw error
        }
    }
}
