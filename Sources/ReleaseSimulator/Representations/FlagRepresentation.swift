/// A feature flag as the API returns it: the required fields of the spec's `FeatureFlag`
/// plus what a runbook needs to pick a variation.
struct FlagRepresentation: Encodable, Sendable {
    struct Experiments: Encodable, Sendable {
        var baselineIdx = 0
        var items: [String] = []
    }

    struct Defaults: Encodable, Sendable {
        var onVariation = 0
        var offVariation = 1
    }

    var name: String
    var kind = "boolean"
    var description: String
    var key: String
    var version: Int
    var creationDate: Int64
    var variations: [VariationRecord]
    var temporary: Bool
    var tags: [String]
    var links: [String: Link]
    var experiments = Experiments()
    var customProperties: [String: String] = [:]
    var archived = false
    var deprecated = false
    var defaults = Defaults()

    init(_ flag: FlagState, projectKey: String) {
        name = flag.name
        description = flag.description
        key = flag.key
        version = flag.version
        creationDate = flag.creationDate
        variations = flag.variations
        temporary = flag.temporary
        tags = flag.tags
        links = [
            "parent": Link(href: "/api/v2/flags/\(projectKey)"),
            "self": Link(href: "/api/v2/flags/\(projectKey)/\(flag.key)"),
        ]
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, description, key
        case version = "_version"
        case creationDate, variations, temporary, tags
        case links = "_links"
        case experiments, customProperties, archived, deprecated, defaults
    }
}
