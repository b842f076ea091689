/// An audience of a phase: usually one environment (schemas `ReleaseAudience` and, in
/// pipelines, `Audience`, which has no `_id`).
public struct ReleaseAudience: Sendable, Hashable {
    /// `_id`; absent on pipeline audiences.
    public var id: String?
    public var name: String
    public var environment: EnvironmentSummary?
    public var configuration: AudienceConfiguration?
    public var segmentKeys: [String]
    /// The audience status (`active`, ...), free-form.
    public var status: String?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "ReleaseAudience")
        id = try fields.string("_id")
        name = try fields.string("name") ?? ""
        environment = try fields.value("environment").map { json throws(ReleaseError) in
            try EnvironmentSummary(json: json)
        }
        configuration = try fields.value("configuration").map { json throws(ReleaseError) in
            try AudienceConfiguration(json: json)
        }
        segmentKeys = try fields.strings("segmentKeys")
        status = try fields.string("status")
        raw = json
    }
}

/// How an audience is rolled out (schema `AudienceConfiguration`).
public struct AudienceConfiguration: Sendable, Hashable {
    /// The release strategy (`immediate`, `monitoredRelease`, ...).
    public var releaseStrategy: String?
    /// Whether starting the phase waits for an approval.
    public var requireApproval: Bool
    public var notifyMemberIds: [String]
    public var notifyTeamKeys: [String]
    /// The guarded-rollout settings, as sent.
    public var releaseGuardianConfiguration: JSONValue?
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "AudienceConfiguration")
        releaseStrategy = try fields.string("releaseStrategy")
        requireApproval = try fields.bool("requireApproval") ?? false
        notifyMemberIds = try fields.strings("notifyMemberIds")
        notifyTeamKeys = try fields.strings("notifyTeamKeys")
        releaseGuardianConfiguration = fields.value("releaseGuardianConfiguration")
        raw = json
    }
}

/// The environment of an audience (schema `EnvironmentSummary`).
public struct EnvironmentSummary: Sendable, Hashable {
    public var key: String
    public var name: String
    public var raw: JSONValue

    public init(json: JSONValue) throws(ReleaseError) {
        let fields = try JSONFields(json, model: "EnvironmentSummary")
        key = try fields.requiredString("key")
        name = try fields.string("name") ?? key
        raw = json
    }
}
