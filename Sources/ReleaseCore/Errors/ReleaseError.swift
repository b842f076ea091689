/// The one error type of ReleaseCore: every failure of a call to LaunchDarkly, a wait or the
/// configuration, with a stable `code` that runbooks branch on.
///
/// LaunchDarkly's own `code` is kept when the server sends one (`not_found`, `invalid_request`,
/// `rate_limited`, `unauthorized`, `forbidden`, ...); failures that happen on our side use
/// ours (`timeout`, `paused`, `transport`, `decoding`, `config`, `interrupted`, ...).
/// The `description` never contains the access token.
public struct ReleaseError: Error, Sendable, Hashable {
    /// The kind of failure; compare with the static members (`.notFound`, `.timeout`, ...).
    public var kind: Code
    /// The HTTP status of the response that failed, when there was one.
    public var status: Int?
    /// What went wrong, in LaunchDarkly's words when the server said it.
    public var message: String
    /// The operation that failed, such as `release.get web/new-checkout`.
    public var operation: String
    /// Whether trying again later may succeed (rate limits, 5xx, transport failures, timeouts).
    public var isRetryable: Bool
    /// Advice for the operator (how to set the token, the beta header, ...).
    public var hint: String?
    /// LaunchDarkly's error `id`, to quote to their support.
    public var requestId: String?
    /// How many HTTP attempts were made before giving up.
    public var attempts: Int?
    /// The project, flag and phase involved, when known.
    public var context: Context
    /// Whether an earlier attempt of the same call failed ambiguously (it may have taken effect).
    var followsAmbiguousAttempt = false

    /// The resources an error is about.
    public struct Context: Sendable, Hashable {
        public var project: String?
        public var flag: String?
        public var phaseId: String?
        public var phaseName: String?
        /// The release as last seen (for `paused` and `timeout` of phase waits).
        public var release: JSONValue?

        public init(
            project: String? = nil, flag: String? = nil, phaseId: String? = nil, phaseName: String? = nil,
            release: JSONValue? = nil
        ) {
            self.project = project
            self.flag = flag
            self.phaseId = phaseId
            self.phaseName = phaseName
            self.release = release
        }
    }

    public init(
        _ kind: Code, message: String, operation: String = "", status: Int? = nil, isRetryable: Bool? = nil,
        hint: String? = nil, context: Context = Context()
    ) {
        self.kind = kind
        self.message = message
        self.operation = operation
        self.status = status
        self.isRetryable = isRetryable ?? kind.isRetryableByDefault
        self.hint = hint
        self.context = context
    }

    /// The stable code as a string, e.g. `"not_found"`.
    public var code: String { kind.rawValue }
}

extension ReleaseError: CustomStringConvertible {
    /// `release.get web/checkout: not_found (HTTP 404): Unknown flag` plus context and a hint.
    public var description: String {
        var text = operation.isEmpty ? code : "\(operation): \(code)"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let phase = context.phaseName ?? context.phaseId { text += " [phase \(phase)]" }
        if let attempts, attempts > 1 { text += " after \(attempts) attempts" }
        if let hint { text += ". \(hint)" }
        return text
    }
}

extension ReleaseError.Code {
    /// Whether `error` is a `ReleaseError` of this kind, so `case .timeout:` works in a `switch` over errors.
    public static func ~= (kind: ReleaseError.Code, error: any Error) -> Bool {
        (error as? ReleaseError)?.kind == kind
    }
}
