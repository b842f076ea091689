/// The body of "create a release" (`CreateReleaseInput`).
struct CreateReleaseInput: Decodable, Sendable {
    var releasePipelineKey: String
    var releaseVariationId: String?
}

/// The body of "update phase status" (`UpdatePhaseStatusInput`).
struct UpdatePhaseStatusInput: Decodable, Sendable {
    /// Extra settings for one audience of the phase being started.
    struct AudienceSettings: Decodable, Sendable {
        var audienceId: String?
        var releaseGuardianConfiguration: ReleaseGuardianConfigurationInput?
        var notifyMemberIds: [String]?
        var notifyTeamKeys: [String]?
    }

    var status: String?
    var audiences: [AudienceSettings]?
}

/// Release guardian settings given when a phase starts; every field optional.
struct ReleaseGuardianConfigurationInput: Decodable, Sendable {
    var monitoringWindowMilliseconds: Int64?
    var rolloutWeight: Int?
    var rollbackOnRegression: Bool?
    var randomizationUnit: String?
}

/// One operation of a JSON Patch body (`PatchOperation`).
struct PatchOperation: Decodable, Sendable {
    var op: String
    var path: String
    var value: PatchValue?
}

/// The `value` of a patch operation; the simulator only acts on booleans.
enum PatchValue: Decodable, Sendable, Equatable {
    case bool(Bool)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .other
        }
    }
}
