import Foundation

/// Which version of the release API the simulator speaks. The published OpenAPI spec and
/// the calls recorded against a real LaunchDarkly account disagree; each dialect serves
/// one of them (the details are in `docs/simulator.md`, "Dialects").
public enum SimulatorDialect: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// What a real account answered (Dec 2025): kebab-case statuses (`not-started`,
    /// `ready-to-start`, `active`, `paused`, `completed`), only `{"status": "active"}`
    /// starts a phase, a new release is `_version` 0, and a phase completes only when the
    /// next one starts. The default.
    case observed
    /// The published OpenAPI spec: PascalCase statuses (`NotStarted` ... `Complete`),
    /// only `{"status": "Started"}` starts a phase, a new release is `_version` 1, and a
    /// started phase completes by itself after the phase duration.
    case spec

    /// The dialect a simulator speaks when none is configured.
    public static let `default`: SimulatorDialect = .observed

    /// Reads `observed` or `spec` (any case, surrounding spaces ignored).
    public init(parsing text: String) throws(SimulatorError) {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let dialect = SimulatorDialect(rawValue: name) else {
            let names = Self.allCases.map(\.rawValue).joined(separator: " or ")
            throw .invalidConfiguration("invalid dialect '\(text)': expected \(names)")
        }
        self = dialect
    }

    /// The dialect's name, as `--dialect` takes it.
    public var description: String { rawValue }
}
