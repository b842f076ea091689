/// A `_links` entry: where a related resource lives.
struct Link: Codable, Sendable, Equatable {
    var href: String
    var type = "application/json"

    /// `_links` with just a `self` entry.
    static func selfLinks(_ href: String) -> [String: Link] { ["self": Link(href: href)] }
}

/// The spec's `EnvironmentSummary`.
struct EnvironmentRepresentation: Encodable, Sendable {
    var links: [String: Link]
    var key: String
    var name: String
    var color: String

    init(_ environment: EnvironmentRecord, projectKey: String) {
        links = Link.selfLinks("/api/v2/projects/\(projectKey)/environments/\(environment.key)")
        key = environment.key
        name = environment.name
        color = environment.color
    }

    enum CodingKeys: String, CodingKey {
        case links = "_links"
        case key, name, color
    }
}

/// The `{code, message}` body of every error response.
struct ErrorRepresentation: Encodable, Sendable {
    var code: String
    var message: String
}
