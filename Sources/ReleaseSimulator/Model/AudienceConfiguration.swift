/// How an audience is rolled out; the spec's `AudienceConfiguration`, used unchanged
/// in seeds, in pipeline requests and in responses.
struct AudienceConfiguration: Codable, Sendable, Equatable {
    var releaseStrategy: String
    var requireApproval: Bool
    var notifyMemberIds: [String]?
    var notifyTeamKeys: [String]?
    var releaseGuardianConfiguration: ReleaseGuardianConfiguration?
}

/// A guarded (monitored) rollout; a phase with one can regress.
struct ReleaseGuardianConfiguration: Codable, Sendable, Equatable {
    var monitoringWindowMilliseconds: Int64
    var rolloutWeight: Int
    var rollbackOnRegression: Bool
    var randomizationUnit: String?
}

/// An environment of a project; the spec's `EnvironmentSummary` without links.
struct EnvironmentRecord: Codable, Sendable, Equatable {
    var key: String
    var name: String
    var color: String

    init(key: String, name: String, color: String) {
        self.key = key
        self.name = name
        self.color = color
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? key
        color = try container.decodeIfPresent(String.self, forKey: .color) ?? "7B42BC"
    }
}
