import Hummingbird

/// An endpoint of the emulated API. Faults target routes, and the request log names them.
public enum SimulatorRoute: String, Sendable, CaseIterable, Codable {
    case releaseCreate = "release-create"
    case releaseGet = "release-get"
    case releasePatch = "release-patch"
    case releaseDelete = "release-delete"
    case phaseStart = "phase-start"
    case pipelineList = "pipeline-list"
    case pipelineCreate = "pipeline-create"
    case pipelineGet = "pipeline-get"
    case pipelineReplace = "pipeline-replace"
    case pipelineDelete = "pipeline-delete"
    case pipelineReleases = "pipeline-releases"
    case flagGet = "flag-get"

    /// The HTTP method of the endpoint.
    var method: HTTPRequest.Method {
        switch self {
        case .releaseCreate, .phaseStart, .pipelineReplace: .put
        case .releaseGet, .pipelineList, .pipelineGet, .pipelineReleases, .flagGet: .get
        case .releasePatch: .patch
        case .releaseDelete, .pipelineDelete: .delete
        case .pipelineCreate: .post
        }
    }

    /// The path pattern of the endpoint, in the router's `:parameter` syntax.
    var path: String {
        switch self {
        case .releaseCreate: "/api/v2/projects/:projectKey/flags/:flagKey/release"
        case .phaseStart: "/api/v2/projects/:projectKey/flags/:flagKey/release/phases/:phaseId"
        case .releaseGet, .releasePatch, .releaseDelete: "/api/v2/flags/:projectKey/:flagKey/release"
        case .pipelineList, .pipelineCreate: "/api/v2/projects/:projectKey/release-pipelines"
        case .pipelineGet, .pipelineReplace, .pipelineDelete:
            "/api/v2/projects/:projectKey/release-pipelines/:pipelineKey"
        case .pipelineReleases: "/api/v2/projects/:projectKey/release-pipelines/:pipelineKey/releases"
        case .flagGet: "/api/v2/flags/:projectKey/:flagKey"
        }
    }

    /// Whether the endpoint is a beta resource, which requires `LD-API-Version: beta`.
    var isBeta: Bool { self != .flagGet }
}
