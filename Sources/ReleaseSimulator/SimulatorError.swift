/// An error of the release API simulator: an HTTP status, a stable `code` (the one
/// LaunchDarkly puts in its error bodies) and a human-readable message.
///
/// The same value becomes the `{code, message}` body of an error response and is
/// what the in-process admin API throws.
public struct SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status this error is answered with.
    public var status: Int
    /// A stable, machine-readable error class such as `invalid_request` or `not_found`.
    public var code: String
    /// What went wrong, naming the offending field or resource.
    public var message: String

    /// Creates an error from its parts.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(code) (\(status)): \(message)" }

    /// 400: the request is malformed or not allowed in the current state.
    public static func invalidRequest(_ message: String) -> Self {
        Self(status: 400, code: "invalid_request", message: message)
    }

    /// 401: missing or wrong access token.
    public static func unauthorized(_ message: String) -> Self {
        Self(status: 401, code: "unauthorized", message: message)
    }

    /// 403: the request is understood but refused.
    public static func forbidden(_ message: String) -> Self {
        Self(status: 403, code: "forbidden", message: message)
    }

    /// 404: the resource does not exist.
    public static func notFound(_ message: String) -> Self {
        Self(status: 404, code: "not_found", message: message)
    }

    /// 409: the resource already exists.
    public static func conflict(_ message: String) -> Self {
        Self(status: 409, code: "conflict", message: message)
    }

    /// 429: the rate-limit budget is exhausted.
    public static func rateLimited(_ message: String) -> Self {
        Self(status: 429, code: "rate_limited", message: message)
    }

    /// A configuration value (seed, fault spec, duration) could not be read.
    public static func invalidConfiguration(_ message: String) -> Self {
        Self(status: 400, code: "invalid_configuration", message: message)
    }
}
