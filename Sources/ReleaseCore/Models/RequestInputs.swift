/// One JSON Patch (RFC 6902) operation, as `release.patch` sends them (schema `PatchOperation`).
public struct JSONPatchOperation: Sendable, Hashable {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    public var op: String
    /// A JSON Pointer, e.g. `/phases/0/complete`.
    public var path: String
    public var value: JSONValue?

    public init(op: String, path: String, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }

    /// `{"op": "replace", "path": path, "value": value}`.
    public static func replace(_ path: String, with value: JSONValue) -> JSONPatchOperation {
        JSONPatchOperation(op: "replace", path: path, value: value)
    }

    /// Marks the phase at `index` of a legacy release complete or incomplete.
    public static func setPhaseComplete(index: Int, _ complete: Bool = true) -> JSONPatchOperation {
        .replace("/phases/\(index)/complete", with: .bool(complete))
    }

    /// Decodes `{op, path, value?}`.
    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "PatchOperation")
        op = try fields.requiredString("op")
        path = try fields.requiredString("path")
        value = fields.object["value"]
    }

    /// The operation as JSON.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
        if let value { members["value"] = value }
        return .object(members)
    }
}

/// Per-audience settings sent when starting a phase (schema `ReleaserAudienceConfigInput`).
public struct PhaseAudienceInput: Sendable, Hashable {
    /// The audience `_id`.
    public var audienceId: String
    /// Overrides the pipeline's guarded-rollout settings for this audience.
    public var releaseGuardianConfiguration: JSONValue?
    public var notifyMemberIds: [String]?
    public var notifyTeamKeys: [String]?

    public init(
        audienceId: String, releaseGuardianConfiguration: JSONValue? = nil, notifyMemberIds: [String]? = nil,
        notifyTeamKeys: [String]? = nil
    ) {
        self.audienceId = audienceId
        self.releaseGuardianConfiguration = releaseGuardianConfiguration
        self.notifyMemberIds = notifyMemberIds
        self.notifyTeamKeys = notifyTeamKeys
    }

    /// Decodes `{audienceId, releaseGuardianConfiguration?, notifyMemberIds?, notifyTeamKeys?}`.
    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleaserAudienceConfigInput")
        audienceId = try fields.requiredString("audienceId")
        releaseGuardianConfiguration = fields.value("releaseGuardianConfiguration")
        notifyMemberIds = fields.value("notifyMemberIds") == nil ? nil : try fields.strings("notifyMemberIds")
        notifyTeamKeys = fields.value("notifyTeamKeys") == nil ? nil : try fields.strings("notifyTeamKeys")
    }

    /// The input as JSON.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["audienceId": .string(audienceId)]
        if let releaseGuardianConfiguration { members["releaseGuardianConfiguration"] = releaseGuardianConfiguration }
        if let notifyMemberIds { members["notifyMemberIds"] = .array(notifyMemberIds.map(JSONValue.string)) }
        if let notifyTeamKeys { members["notifyTeamKeys"] = .array(notifyTeamKeys.map(JSONValue.string)) }
        return .object(members)
    }
}
