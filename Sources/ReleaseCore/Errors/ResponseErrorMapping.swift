import Foundation

extension ReleaseError {
    /// The error for a non-success response: LaunchDarkly's `code`, `message` and `id` from a
    /// `{code, message, id}` body when there is one, the status otherwise, and a hint for
    /// 401 (how to set the token) and 403 on beta routes (the beta header).
    static func fromResponse(
        status: Int, body: [UInt8], operation: String, isBetaRoute: Bool, context: Context
    ) -> ReleaseError {
        let json = try? JSONValue(parsing: body)
        let serverCode = json?["code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let kind = serverCode.map(Code.init(rawValue:)) ?? .forStatus(status)
        var message = json?["message"]?.stringValue ?? ""
        if message.isEmpty {
            message = String(decoding: body.prefix(200), as: UTF8.self).trimmed
        }
        if message.isEmpty { message = defaultMessage(forStatus: status) }
        let retryable = status == 429 || status == 409 || (500...599).contains(status)
        var error = ReleaseError(
            kind, message: message, operation: operation, status: status, isRetryable: retryable, context: context)
        error.requestId = json?["id"]?.stringValue
        switch status {
        case 401:
            error.hint = ReleaseClientConfiguration.tokenHint
        case 403 where isBetaRoute:
            error.hint =
                "This is a beta API route: LaunchDarkly answers 403 when the `LD-API-Version: beta` header "
                + "is missing (ldrun always sends it, so check that no proxy strips it) or when the token's "
                + "role does not allow this action on this project"
        case 403:
            error.hint = "The access token's role does not allow this action on this project"
        default:
            break
        }
        return error
    }

    static func defaultMessage(forStatus status: Int) -> String {
        switch status {
        case 400: "Invalid request"
        case 401: "Invalid access token"
        case 403: "Forbidden"
        case 404: "Invalid resource identifier"
        case 409: "Conflict"
        case 429: "Too many requests"
        case 500...599: "LaunchDarkly server error"
        default: "Unexpected HTTP status"
        }
    }

    /// Replaces every occurrence of `secret` in the message, so that an echo of the token by a
    /// server or proxy never reaches logs.
    func redacting(_ secret: String) -> ReleaseError {
        guard secret.count >= 4, message.contains(secret) else { return self }
        var copy = self
        copy.message = message.replacingOccurrences(of: secret, with: "[redacted]")
        return copy
    }
}
