import Foundation
import ReleaseCore

/// Everything a run needs, resolved by the caller (the `ldrun` executable resolves flags,
/// environment variables and defaults into this; the library never reads them itself).
public struct RunbookHostConfiguration: Sendable {
    /// How `confirm(question)` is answered.
    public enum Confirmation: Sendable {
        /// Every question is answered yes (`--yes`), and the answer is logged.
        case assumeYes
        /// No one can answer: `confirm` raises `confirm_required`.
        case refuse
        /// Ask someone (a terminal prompt, a chat message...).
        case ask(@Sendable (String) async -> Bool)
    }

    /// The release client: access token, base URI, default project, retries.
    public var client: ReleaseClientConfiguration
    /// Reads go to the server; writes are logged as "would …" and applied to a local projection.
    public var dryRun = false
    /// How `confirm` is answered.
    public var confirmation: Confirmation = .refuse
    /// `-a key=value` options, as `args.key`.
    public var arguments: [String: String] = [:]
    /// Arguments after `--`, as `args[1]`, `args[2]`, ...
    public var positionalArguments: [String] = []
    /// Folders searched by `require`, in order, before the runbook's own folder and the
    /// built-in library (`--lib`, then `LDRUN_PATH`).
    public var libraryFolders: [String] = []
    /// Where the journal of writes goes; nil for none.
    public var journalPath: String?
    /// Where events go.
    public var events: any RunEventSink
    /// The longest the whole run may take.
    public var timeout: Duration?
    /// The time runs wait on: nil for real time; a ``VirtualClock`` (as `ldrun test` uses)
    /// for time that jumps ahead whenever every task waits on it. `sleep`, `wait_until`,
    /// `phase.wait`, `ldrun.clock` and ``timeout`` follow it; HTTP retries and rate-limit
    /// waits follow ``ReleaseClientConfiguration/sleep`` (real time unless it is set).
    public var clock: VirtualClock?
    /// The most memory the run's Lua state may use, in bytes (nil: no limit). Past it, Lua
    /// code gets the catchable error `not enough memory`; uncaught, the run fails.
    public var memoryLimit: Int? = RunbookHostConfiguration.defaultMemoryLimit

    /// The environment variables `os.getenv` sees; nil for the process's own. `ldrun test`
    /// gives each test only its scenario's `env`, so a test reads the same everywhere.
    public var environment: [String: String]?

    /// Where `print` and `io.write` go; nil for standard output. `ldrun test` keeps what
    /// each test and each of its runs printed, to show it with a failure.
    public var output: (@Sendable (String) -> Void)?

    /// Whether a run keeps its first returned value as JSON (``RunReport/returnedJSON``),
    /// for `ldrun run --output json`.
    public var capturesReturnedJSON = false

    /// 1 GiB.
    public static let defaultMemoryLimit = 1 << 30

    public init(client: ReleaseClientConfiguration, events: any RunEventSink) {
        self.client = client
        self.events = events
    }
}

/// Sizes in bytes as people write them: `1000000`, `512MiB`, `1GiB`, `64MB`, `2.5G`.
/// Binary units (`KiB`, `MiB`, `GiB`, `TiB`, and `K`, `M`, `G`, `T`) are powers of 1024;
/// `KB`, `MB`, `GB` and `TB` are powers of 1000.
public enum ByteSize {
    /// The bytes `text` names, or why it names none.
    public static func parse(_ text: String) throws(RunbookDuration.Invalid) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scales: [String: Double] = [
            "": 1, "b": 1, "k": 1024, "kib": 1024, "kb": 1e3, "m": 1_048_576, "mib": 1_048_576, "mb": 1e6,
            "g": 1_073_741_824, "gib": 1_073_741_824, "gb": 1e9, "t": 1_099_511_627_776, "tib": 1_099_511_627_776,
            "tb": 1e12,
        ]
        guard let value = Double(digits), value.isFinite, let scale = scales[unit] else {
            throw RunbookDuration.Invalid(
                .syntax, "invalid size '\(text)' (use bytes or a unit: 512MiB, 1GiB, 64MB)")
        }
        let bytes = (value * scale).rounded()
        guard bytes <= 1_125_899_906_842_624 else {  // 1 PiB
            throw RunbookDuration.Invalid(.outOfRange, "size out of range: '\(text)' (the limit is 1PiB)")
        }
        return Int(bytes)
    }
}
