/// Describes a decoding failure by the field it happened at, e.g.
/// `phases[0].name: required field missing`.
extension DecodingError {
    var fieldDescription: String {
        switch self {
        case .keyNotFound(let key, let context):
            return "\(Self.path(context.codingPath + [key])): required field missing"
        case .typeMismatch(let type, let context):
            return "\(Self.path(context.codingPath)): expected \(Self.jsonType(type))"
        case .valueNotFound(let type, let context):
            return "\(Self.path(context.codingPath)): expected \(Self.jsonType(type)), got null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "body is not valid JSON"
        case .dataCorrupted(let context):
            return "\(Self.path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "invalid body"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "body" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
