import NIOHTTP1

/// Read-only checks of an account, for `ldrun doctor`: the base URI answers, the token is
/// accepted, the project exists, beta routes answer, pipelines can be read, rate-limit
/// headers come back, which status dialect the account speaks, and the clock offset from
/// the server's `Date` header. It sends only GET requests and never shows the token.
public struct AccountDoctor: Sendable {
    public let client: ReleaseClient
    /// How many pipelines to look through for a release whose statuses tell the dialect.
    public var pipelinesToSearch = 5
    /// The local clock, in Unix milliseconds (the client's clock unless a test sets one).
    public var nowMillis: @Sendable () -> Int64

    public init(client: ReleaseClient) {
        self.client = client
        self.nowMillis = client.nowMillis
    }

    /// Runs every check, in order; a check that cannot run because an earlier one failed
    /// says so.
    public func run() async -> [DoctorCheck] {
        let base = client.configuration.baseURL.description
        guard let project = client.configuration.defaultProject, !project.isEmpty else {
            return [DoctorCheck("project", .fail, "no project given: pass --project or set LD_PROJECT")]
        }
        let request = APIRequest(
            operation: "doctor \(project)", method: .GET,
            path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines",
            route: "/api/v2/projects/{projectKey}/release-pipelines", context: .init(project: project))
        let response: APIResponse
        do {
            response = try await client.send(request)
        } catch {
            return Self.failedFirstRequest(error, base: base, project: project)
        }
        var checks = [
            DoctorCheck("connection", .pass, "\(base) answers"),
            DoctorCheck("token", .pass, "accepted"),
            DoctorCheck("project", .pass, "'\(project)' exists"),
            DoctorCheck("beta", .pass, "release pipeline routes answer with LD-API-Version: beta"),
        ]
        let keys = (response.json?["items"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }
        checks.append(
            DoctorCheck(
                "pipelines", .pass,
                keys.isEmpty
                    ? "readable; the project has none yet"
                    : "\(keys.count) readable: \(keys.prefix(5).joined(separator: ", "))\(keys.count > 5 ? ", ..." : "")"
            ))
        checks.append(Self.rateLimitCheck(response.headers))
        checks.append(await dialectCheck(project: project, pipelines: keys))
        checks.append(clockCheck(response.headers))
        return checks
    }

    /// The checks when the first request failed: where the failure stops the others.
    static func failedFirstRequest(_ error: ReleaseError, base: String, project: String) -> [DoctorCheck] {
        let why = "HTTP \(error.status.map(String.init) ?? "?"): \(error.message)"
        switch error.status {
        case nil:
            return [DoctorCheck("connection", .fail, "\(base) does not answer: \(error.message)")]
        case 401:
            return [
                DoctorCheck("connection", .pass, "\(base) answers"),
                DoctorCheck("token", .fail, "refused (\(why)); check LD_ACCESS_TOKEN or --access-token"),
            ]
        case 403:
            return [
                DoctorCheck("connection", .pass, "\(base) answers"),
                DoctorCheck("token", .pass, "accepted"),
                DoctorCheck(
                    "beta", .fail,
                    "release pipelines refused (\(why)): they need LD-API-Version: beta and a token allowed to read them"
                ),
            ]
        case 404:
            return [
                DoctorCheck("connection", .pass, "\(base) answers"),
                DoctorCheck("token", .pass, "accepted"),
                DoctorCheck("project", .fail, "'\(project)' not found (\(why))"),
            ]
        default:
            return [DoctorCheck("connection", .fail, "\(base) answered with an error (\(why))")]
        }
    }

    /// Whether the response carried LaunchDarkly's rate-limit headers.
    static func rateLimitCheck(_ headers: HTTPHeaders) -> DoctorCheck {
        let names = ["X-Ratelimit-Global-Remaining", "X-Ratelimit-Route-Remaining", "X-Ratelimit-Reset"]
        let present = names.compactMap { name in headers.first(name: name).map { "\(name): \($0)" } }
        if present.isEmpty {
            return DoctorCheck(
                "rate-limits", .warn, "no X-Ratelimit-* headers; ldrun will only learn limits from 429 answers")
        }
        return DoctorCheck("rate-limits", .pass, present.joined(separator: ", "))
    }

    /// The dialect of the first release found on the first pipelines.
    func dialectCheck(project: String, pipelines: [String]) async -> DoctorCheck {
        for key in pipelines.prefix(pipelinesToSearch) {
            let request = APIRequest(
                operation: "doctor \(project)/\(key)", method: .GET,
                path: "/api/v2/projects/\(percentEncoded(project))/release-pipelines/\(percentEncoded(key))"
                    + "/releases?limit=1",
                route: "/api/v2/projects/{projectKey}/release-pipelines/{pipelineKey}/releases",
                context: .init(project: project))
            guard let response = try? await client.send(request),
                let flag = response.json?["items"]?[0]?["flagKey"]?.stringValue
            else { continue }
            guard let release = try? await client.release(project: project, flag: flag) else { continue }
            let spellings = Set(release.phases.compactMap(\.rawStatus)).sorted()
            guard let dialect = APIDialect.of(release) else {
                return DoctorCheck(
                    "dialect", .warn,
                    "the release of '\(flag)' does not tell (statuses: \(spellings.joined(separator: ", ")))")
            }
            let unknown = release.phases.filter { $0.reportedStatus?.isUnknown == true }.compactMap(\.rawStatus)
            if !unknown.isEmpty {
                return DoctorCheck(
                    "dialect", .warn,
                    "\(dialect), from the release of '\(flag)', with statuses ldrun does not know: "
                        + unknown.joined(separator: ", "))
            }
            return DoctorCheck(
                "dialect", .pass,
                "\(dialect), from the release of '\(flag)' (statuses: \(spellings.joined(separator: ", ")))")
        }
        return DoctorCheck(
            "dialect", .warn, "no release to read yet; ldrun handles both dialects (docs/launchdarkly-api.md)")
    }

    /// The offset of the server's `Date` header from the local clock.
    func clockCheck(_ headers: HTTPHeaders) -> DoctorCheck {
        guard let text = headers.first(name: "Date"), let server = HTTPDate.parse(text) else {
            return DoctorCheck("clock", .warn, "the server sent no Date header to compare with")
        }
        let offset = Double(server - nowMillis()) / 1000
        let rounded = (offset * 10).rounded() / 10
        let detail = "\(rounded >= 0 ? "+" : "")\(rounded)s from the server's Date header"
        // Date has one-second resolution, so a second or two is noise.
        if abs(offset) <= 5 { return DoctorCheck("clock", .pass, detail) }
        return DoctorCheck(
            "clock", .warn, detail + "; rate-limit resets are read as server time, so waits may be off by that much")
    }
}
