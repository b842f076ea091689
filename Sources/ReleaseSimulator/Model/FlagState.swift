/// A boolean feature flag with its variations.
struct FlagState: Sendable {
    var key: String
    var name: String
    var description: String
    var tags: [String]
    var temporary: Bool
    var variations: [VariationRecord]
    var creationDate: Int64
    var version: Int
    /// When the flag was turned on in each environment a release has reached, by key.
    var turnedOn: [String: Int64] = [:]
}

/// One variation of a flag (the spec's `Variation`).
struct VariationRecord: Codable, Sendable, Equatable {
    var id: String
    var value: Bool
    var name: String?
    var description: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case value, name, description
    }
}

/// A flag in a seed file; variations default to `true` and `false`.
struct FlagInput: Decodable, Sendable {
    var key: String
    var name: String?
    var description: String?
    var tags: [String]?
    var temporary: Bool?
    var variations: [VariationInput]?
}

/// A variation in a seed file; `_id` is generated when absent.
struct VariationInput: Decodable, Sendable {
    var id: String?
    var value: Bool
    var name: String?
    var description: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case value, name, description
    }
}
