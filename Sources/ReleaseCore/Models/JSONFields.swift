/// Reads the members of a JSON object for a model, throwing `decoding` errors that name the
/// model and the field when a required member is missing or has the wrong type.
struct JSONFields {
    let object: [String: JSONValue]
    let model: String

    init(_ json: JSONValue, model: String) throws(ReleaseError) {
        guard let object = json.objectValue else {
            throw ReleaseError(.decoding, message: "\(model): expected a JSON object, got \(json.typeName)")
        }
        self.object = object
        self.model = model
    }

    func mismatch(_ key: String, expected: String) -> ReleaseError {
        let found = object[key].map(\.typeName) ?? "nothing"
        return ReleaseError(.decoding, message: "\(model).\(key): expected \(expected), got \(found)")
    }

    /// A present, non-null member.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func requiredString(_ key: String) throws(ReleaseError) -> String {
        guard let value = value(key)?.stringValue else { throw mismatch(key, expected: "a string") }
        return value
    }

    func string(_ key: String) throws(ReleaseError) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.stringValue else { throw mismatch(key, expected: "a string") }
        return string
    }

    func bool(_ key: String) throws(ReleaseError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.boolValue else { throw mismatch(key, expected: "a boolean") }
        return bool
    }

    func int(_ key: String) throws(ReleaseError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.intValue else { throw mismatch(key, expected: "an integer") }
        return int
    }

    /// A Unix-milliseconds timestamp, sent as a number or as a numeric string.
    func millis(_ key: String) throws(ReleaseError) -> Int64? {
        guard let value = value(key) else { return nil }
        if let millis = value.int64Value ?? value.stringValue.flatMap({ Int64($0) }) { return millis }
        throw mismatch(key, expected: "a timestamp in milliseconds")
    }

    func strings(_ key: String) throws(ReleaseError) -> [String] {
        guard let value = value(key) else { return [] }
        guard let array = value.arrayValue else { throw mismatch(key, expected: "an array of strings") }
        var strings: [String] = []
        for element in array {
            guard let string = element.stringValue else { throw mismatch(key, expected: "an array of strings") }
            strings.append(string)
        }
        return strings
    }

    /// The elements of an array member decoded by `decode`; a missing member is an empty array
    /// unless `required`.
    func array<T>(
        _ key: String, required: Bool = false, _ decode: (JSONValue) throws(ReleaseError) -> T
    ) throws(ReleaseError) -> [T] {
        guard let value = value(key) else {
            if required { throw mismatch(key, expected: "an array") }
            return []
        }
        guard let elements = value.arrayValue else { throw mismatch(key, expected: "an array") }
        var decoded: [T] = []
        for element in elements { decoded.append(try decode(element)) }
        return decoded
    }
}

extension JSONValue {
    /// The JSON type name, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
