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
    var environments: [String: FlagEnvironmentRepresentation]

    /// The flag with its configuration in each of `environments` (all of the project's,
    /// or those a `filterEnv` asked for).
    init(_ flag: FlagState, projectKey: String, environments: [EnvironmentRecord]) {
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
        self.environments = Dictionary(
            environments.map { ($0.key, FlagEnvironmentRepresentation(flag, environment: $0, projectKey: projectKey)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, description, key
        case version = "_version"
        case creationDate, variations, temporary, tags
        case links = "_links"
        case experiments, customProperties, archived, deprecated, defaults, environments
    }
}

/// A flag's configuration in one environment (the spec's `FeatureFlagConfig`): `on` once
/// a release has turned it on there.
struct FlagEnvironmentRepresentation: Encodable, Sendable {
    var on: Bool
    var archived = false
    var salt: String
    var sel: String
    var lastModified: Int64
    var version: Int
    var site: Link
    var environmentName: String
    var trackEvents = false
    var trackEventsFallthrough = false
    var offVariation = 1

    init(_ flag: FlagState, environment: EnvironmentRecord, projectKey: String) {
        let turnedOn = flag.turnedOn[environment.key]
        on = turnedOn != nil
        salt = "\(flag.key).\(environment.key)"
        sel = environment.key
        lastModified = turnedOn ?? flag.creationDate
        version = on ? 2 : 1
        site = Link(href: "/\(projectKey)/\(environment.key)/features/\(flag.key)", type: "text/html")
        environmentName = environment.name
    }

    enum CodingKeys: String, CodingKey {
        case on, archived, salt, sel, lastModified, version
        case site = "_site"
        case environmentName = "_environmentName"
        case trackEvents, trackEventsFallthrough, offVariation
    }
}
