import Foundation

/// Checks JSON values against the response schemas of the LaunchDarkly OpenAPI spec
/// the simulator emulates: resolves `$ref`, and checks `required`, `type`, `enum`,
/// `properties`, `items` and `additionalProperties`. Returns every violation found.
struct SpecSchemaChecker {
    let spec: JSONValue

    /// The spec file, in the repository's `Tests/Fixtures` (see its README for the source).
    static let specURL: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/launchdarkly-releases-openapi.json")

    static func load() throws -> SpecSchemaChecker {
        SpecSchemaChecker(spec: try JSONValue(data: Data(contentsOf: specURL)))
    }

    /// The schema of the response of `operationId` with `status`.
    func responseSchema(operationId: String, status: Int) -> JSONValue? {
        for (_, pathItem) in spec["paths"]?.object ?? [:] {
            for (_, operation) in pathItem.object ?? [:] where operation["operationId"]?.string == operationId {
                return operation["responses"]?["\(status)"]?["content"]?["application/json"]?["schema"]
            }
        }
        return nil
    }

    /// The named component schema.
    func schema(named name: String) -> JSONValue? { spec["components"]?["schemas"]?[name] }

    /// Every way `value` violates `schema`, as `path: problem` strings.
    func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        let schema = resolved(schema)
        var problems: [String] = []
        if let allowed = schema["enum"]?.array, !allowed.isEmpty, !allowed.contains(value) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let type = schema["type"]?.string, !Self.value(value, hasType: type) {
            return problems + ["\(path): expected \(type), got \(value)"]
        }
        if case .object(let object) = value {
            for case .string(let key) in schema["required"]?.array ?? [] where object[key] == nil {
                problems.append("\(path): missing required field '\(key)'")
            }
            let properties = schema["properties"]?.object ?? [:]
            for (key, child) in object {
                if let propertySchema = properties[key] {
                    problems += violations(of: child, against: propertySchema, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"], additional.object != nil {
                    problems += violations(of: child, against: additional, at: "\(path).\(key)")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                problems += violations(of: item, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    /// A schema with its `$ref` followed; sibling keywords (like `enum`) are kept.
    private func resolved(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, let reference = object["$ref"]?.string else { return schema }
        let name = String(reference.split(separator: "/").last ?? "")
        object.removeValue(forKey: "$ref")
        guard case .object(let target) = resolved(self.schema(named: name) ?? .object([:])) else {
            return .object(object)
        }
        return .object(target.merging(object) { _, sibling in sibling })
    }

    private static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer):
            return true
        case ("number", .integer), ("number", .number):
            return true
        default:
            return false
        }
    }
}
