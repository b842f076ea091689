extension ReleaseError {
    /// A stable error code. LaunchDarkly's codes pass through as they are; the static members
    /// name the ones callers branch on. New codes never break existing callers.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        // LaunchDarkly's codes.
        /// 400: the request was not understood (bad body, phase that cannot start now).
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// 401: the access token is missing or invalid.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// 403: the token may not do this, or the beta header is missing.
        public static let forbidden = Code(rawValue: "forbidden")
        /// 404: no such project, flag, release or pipeline.
        public static let notFound = Code(rawValue: "not_found")
        /// 405: wrong HTTP method.
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// 409: a concurrent change won (optimistic locking).
        public static let conflict = Code(rawValue: "conflict")
        /// 422: the patch could not be applied.
        public static let unprocessableEntity = Code(rawValue: "unprocessable_entity")
        /// 429: the rate limit was exhausted and retries did not get through.
        public static let rateLimited = Code(rawValue: "rate_limited")
        /// 5xx: LaunchDarkly failed.
        public static let serverError = Code(rawValue: "server_error")

        // Ours.
        /// A wait or request ran out of time.
        public static let timeout = Code(rawValue: "timeout")
        /// A phase being waited for was paused (regressed).
        public static let paused = Code(rawValue: "paused")
        /// The release was canceled while being waited for.
        public static let canceled = Code(rawValue: "canceled")
        /// The connection failed, or a redirect to another host was refused.
        public static let transport = Code(rawValue: "transport")
        /// A response was not the JSON the API documents.
        public static let decoding = Code(rawValue: "decoding")
        /// The client configuration is unusable (no token, plain http to a remote host, no project).
        public static let config = Code(rawValue: "config")
        /// The call was canceled (Ctrl-C, a task timeout).
        public static let interrupted = Code(rawValue: "interrupted")

        /// The code LaunchDarkly uses for an HTTP status when its body carries none.
        public static func forStatus(_ status: Int) -> Code {
            switch status {
            case 400: .invalidRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 405: .methodNotAllowed
            case 409: .conflict
            case 422: .unprocessableEntity
            case 429: .rateLimited
            case 500...599: .serverError
            default: Code(rawValue: "http_\(status)")
            }
        }

        var isRetryableByDefault: Bool {
            [.rateLimited, .serverError, .timeout, .transport, .conflict].contains(self)
        }
    }
}
