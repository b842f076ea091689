/// A feature flag, as far as releases need it: its key and variations (schema `FeatureFlag`).
public struct FeatureFlag: Sendable, Hashable {
    public var key: String
    public var name: String
    /// `boolean` or `multivariate`.
    public var kind: String?
    public var version: Int?
    public var variations: [Variation]
    public var tags: [String]
    public var archived: Bool?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "FeatureFlag")
        key = try fields.requiredString("key")
        name = try fields.string("name") ?? key
        kind = try fields.string("kind")
        version = try fields.int("_version")
        variations = try fields.array("variations") { json throws(ReleaseError) in try Variation(json: json) }
        tags = try fields.strings("tags")
        archived = try fields.bool("archived")
        raw = json
    }

    /// The variation whose `_id` or `name` equals `idOrName` (name case-insensitively).
    public func variation(_ idOrName: String) -> Variation? {
        variations.first { $0.id == idOrName }
            ?? variations.first { $0.name?.lowercased() == idOrName.lowercased() }
    }

    /// The first variation serving `value`.
    public func variation(servingValue value: JSONValue) -> Variation? {
        variations.first { $0.value == value }
    }
}

/// One value a flag can serve (schema `Variation`).
public struct Variation: Sendable, Hashable {
    /// `_id`, what `releaseVariationId` refers to.
    public var id: String?
    public var value: JSONValue
    public var name: String?
    public var description: String?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "Variation")
        id = try fields.string("_id")
        value = fields.object["value"] ?? .null
        name = try fields.string("name")
        description = try fields.string("description")
        raw = json
    }
}
