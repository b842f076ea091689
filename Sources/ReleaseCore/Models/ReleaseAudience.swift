/// An audience of a phase: usually one environment (schemas `ReleaseAudience` and, in
/// pipelines, `Audience`, which has no `_id`).
public struct ReleaseAudience: Sendable, Hashable {
    /// `_id`; absent on pipeline audiences.
    public var id: String?
    public var name: String
    public var environment: EnvironmentSummary?
    public var configuration: AudienceConfiguration?
    public var segmentKeys: [String]
    /// The audience status, decoded into the shared vocabulary.
    public var status: PhaseStatus?
    /// The audience status exactly as sent.
    public var rawStatus: String?
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
        rawStatus = try fields.string("status")
        status = rawStatus.map(PhaseStatus.init(rawValue:))
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

    /// Whether the audience rolls out under a guarded rollout (release guardian): it has a
    /// `releaseGuardianConfiguration`, or its strategy names a monitored or guarded release.
    public var isGuarded: Bool {
        if let guardian = releaseGuardianConfiguration, guardian.objectValue != nil { return true }
        let strategy = (releaseStrategy ?? "").lowercased().filter { $0.isLetter }
        return strategy.hasPrefix("monitored") || strategy.hasPrefix("guarded")
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
