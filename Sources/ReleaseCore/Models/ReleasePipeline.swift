/// A release pipeline: the ordered phases releases move through (schema `ReleasePipeline`).
public struct ReleasePipeline: Sendable, Hashable {
    public var key: String
    public var name: String
    public var description: String?
    public var phases: [ReleasePipelinePhase]
    public var tags: [String]
    public var version: Int?
    /// `createdAt`; the spec says date-time but the API sends Unix ms, so either is kept as text.
    public var createdAt: String?
    public var isProjectDefault: Bool?
    /// `_isLegacy`: phases are completed by patching the release instead of by phase status.
    public var isLegacy: Bool?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleasePipeline")
        key = try fields.requiredString("key")
        name = try fields.string("name") ?? key
        description = try fields.string("description")
        phases = try fields.array("phases") { json throws(ReleaseError) in try ReleasePipelinePhase(json: json) }
        tags = try fields.strings("tags")
        version = try fields.int("_version")
        createdAt = fields.value("createdAt").map { $0.stringValue ?? $0.serialized() }
        isProjectDefault = try fields.bool("isProjectDefault")
        isLegacy = try fields.bool("_isLegacy")
        raw = json
    }
}

/// One phase of a pipeline (schema `Phase`).
public struct ReleasePipelinePhase: Sendable, Hashable {
    public var id: String
    public var name: String
    public var audiences: [ReleaseAudience]
    public var configuration: JSONValue?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleasePipelinePhase")
        id = try fields.requiredString("id")
        name = try fields.string("name") ?? ""
        audiences = try fields.array("audiences") { json throws(ReleaseError) in try ReleaseAudience(json: json) }
        configuration = fields.value("configuration")
        raw = json
    }
}
