import Foundation

/// `limit` and `offset` of a list request.
struct PageRequest: Sendable, Equatable {
    var limit = 20
    var offset = 0

    /// Reads `limit` and `offset` from query values, rejecting anything but non-negative integers.
    init(limit: String?, offset: String?) throws(SimulatorError) {
        if let limit {
            guard let value = Int(limit), value >= 1 else { throw .invalidRequest("limit: must be a positive integer") }
            self.limit = value
        }
        if let offset {
            guard let value = Int(offset), value >= 0 else {
                throw .invalidRequest("offset: must be a non-negative integer")
            }
            self.offset = value
        }
    }

    func slice<Element>(_ items: [Element]) -> [Element] {
        guard offset < items.count else { return [] }
        return Array(items[offset..<min(items.count, offset + limit)])
    }
}

/// Splits `filter=field:value,field:value` into its fields, rejecting unknown fields.
func parseFilter(_ text: String?, allowedFields: Set<String>) throws(SimulatorError) -> [String: String] {
    var fields: [String: String] = [:]
    for part in (text ?? "").split(separator: ",") {
        guard let colon = part.firstIndex(of: ":") else {
            throw .invalidRequest("filter: '\(part)' is not of the form field:value")
        }
        let field = String(part[..<colon])
        guard allowedFields.contains(field) else {
            let allowed = allowedFields.sorted().joined(separator: ", ")
            throw .invalidRequest("filter: unknown field '\(field)'; supported: \(allowed)")
        }
        fields[field] = String(part[part.index(after: colon)...])
    }
    return fields
}

/// The `filter` of the pipeline list: `query` (key, name, description) and `env`.
struct PipelineFilter: Sendable {
    var query: String?
    var environmentKey: String?

    init(_ text: String?) throws(SimulatorError) {
        let fields = try parseFilter(text, allowedFields: ["query", "env"])
        query = fields["query"]
        environmentKey = fields["env"]
    }

    func matches(_ pipeline: PipelineState) -> Bool {
        if let query, !query.isEmpty {
            let texts = [pipeline.key, pipeline.name, pipeline.description]
            guard texts.contains(where: { $0.localizedCaseInsensitiveContains(query) }) else { return false }
        }
        if let environmentKey, !pipeline.targets(environmentKey: environmentKey) { return false }
        return true
    }
}

/// The `filter` of a pipeline's releases: `status` (`active` or `completed`) and `activePhaseId`.
struct ProgressionFilter: Sendable {
    var completed: Bool?
    var activePhaseId: String?

    init(_ text: String?) throws(SimulatorError) {
        let fields = try parseFilter(text, allowedFields: ["status", "activePhaseId"])
        switch fields["status"] {
        case nil: completed = nil
        case "active": completed = false
        case "completed": completed = true
        case let other?: throw .invalidRequest("filter: status must be 'active' or 'completed', not '\(other)'")
        }
        activePhaseId = fields["activePhaseId"]
    }

    func matches(_ release: ReleaseState) -> Bool {
        if let completed, release.isFinished != completed { return false }
        if let activePhaseId {
            return release.progressPhaseIndex.map { release.phases[$0].definition.id } == activePhaseId
        }
        return true
    }
}
