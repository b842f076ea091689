import LuaBridge
import ReleaseCore

/// The one place where release-core errors take their Lua form: a table with `code`,
/// `message`, `status`, `operation`, `retryable` and the release context.
extension ReleaseError: LuaErrorConvertible {
    public var luaHostError: LuaHostError {
        var fields: [String: LuaValue] = [
            "operation": .string(operation),
            "retryable": .boolean(isRetryable),
        ]
        if let status { fields["status"] = .integer(Int64(status)) }
        if let hint { fields["hint"] = .string(hint) }
        if let project = context.project { fields["project"] = .string(project) }
        if let flag = context.flag { fields["flag"] = .string(flag) }
        if let phaseId = context.phaseId { fields["phase_id"] = .string(phaseId) }
        if let phaseName = context.phaseName { fields["phase"] = .string(phaseName) }
        if let release = context.release { fields["release"] = LuaJSON.lua(release) }
        return LuaHostError(code: code, message: description, fields: fields)
    }
}

extension LuaHostError {
    /// The error every waiting task receives when the run is interrupted.
    static func interrupted(_ reason: String) -> LuaHostError {
        LuaHostError(code: "interrupted", message: reason)
    }
}
