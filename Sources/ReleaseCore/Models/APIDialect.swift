/// The two ways LaunchDarkly is known to answer the release API (docs/launchdarkly-api.md).
///
/// - `spec`: the published OpenAPI spec. Statuses are PascalCase (`Started`, `Complete`), a
///   started phase completes by itself once LaunchDarkly has rolled it out, and the next
///   phase cannot start before that.
/// - `observed`: what a real account answered. Statuses are kebab-case (`active`,
///   `completed`), only `{"status": "active"}` starts a phase, and a phase completes only
///   when the next one starts; the last phase stays `active` for good.
public enum APIDialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case spec
    case observed

    /// The dialect a release's own status spellings show, or `nil` when none tells (no
    /// `status` fields, or only values the vocabulary does not know). Phase statuses are
    /// read first, then audience statuses.
    public static func of(_ release: Release) -> APIDialect? {
        for phase in release.phases {
            if let raw = phase.rawStatus, let dialect = PhaseStatus.dialect(ofSpelling: raw) { return dialect }
        }
        for audience in release.phases.flatMap(\.audiences) {
            if let raw = audience.rawStatus, let dialect = PhaseStatus.dialect(ofSpelling: raw) { return dialect }
        }
        return nil
    }

    /// The value that starts a phase in this dialect (`Started` or `active`).
    public var startValue: String { PhaseStatus.started.spelling(in: self) }

    public var description: String { rawValue }
}
