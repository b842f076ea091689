import Foundation
import Testing

/// One bad input given to the `ldrun` binary, and how ldrun must answer it: the exit status
/// and what stderr must say (the place, the function and argument, the option, the API status).
struct BadInputCase: Sendable, CustomTestStringConvertible {
    /// What answers the runbook's HTTP requests, when `--simulate` is not enough.
    enum Server: Sendable {
        /// A simulator in the test process that accepts ``BadInputCase/token`` and injects `faults`.
        case simulator(faults: String)
        /// A simulator that accepts another token, so ldrun's is refused with a 401.
        case simulatorRefusingToken
        /// The canned server, answering every request with this.
        case canned(CannedResponse)
    }

    /// The fake access token every case passes; it must never be printed or journalled.
    static let token = "cat-secret-token-123"

    var name: String
    /// Text files written into the scratch directory, by name.
    var files: [String: String] = [:]
    /// Binary files written into the scratch directory, by name.
    var binaryFiles: [String: [UInt8]] = [:]
    /// Symbolic links made in the scratch directory: name → target.
    var links: [String: String] = [:]
    /// Folders made in the scratch directory.
    var folders: [String] = []
    /// The command line; `$BASE_URI` stands for the server's base URI.
    var arguments: [String]
    var environment: [String: String] = [:]
    var server: Server?
    var status: Int32
    /// Substrings stderr must contain.
    var stderr: [String]
    /// Substrings stderr must not contain (besides crash markers and the token).
    var stderrExcludes: [String] = []
    /// Substrings stdout must not contain (output of a runbook that must not have run).
    var stdoutExcludes: [String] = []
    /// How long the process may run before it is killed (a hang fails the case).
    var limit: Duration = .seconds(60)
    /// A product bug this case exposes and that is not fixed yet: the case's failures are
    /// recorded as a known issue (and its passing, once fixed, fails it: drop this then).
    var knownIssue: String?

    var testDescription: String { name }
}

extension BadInputCase {
    /// A runbook `bad.lua` run under `--simulate` with a journal, so no account is needed.
    static func runbook(
        _ name: String, _ source: String, status: Int32 = 1, stderr: [String], excluding: [String] = [],
        options: [String] = [], files: [String: String] = [:], knownIssue: String? = nil
    ) -> BadInputCase {
        BadInputCase(
            name: name, files: files.merging(["bad.lua": source]) { _, new in new },
            arguments: ["run", "--simulate", "--sim-phase-duration", "0", "--journal", "journal.jsonl"] + options
                + ["bad.lua"],
            environment: ["LD_ACCESS_TOKEN": token], status: status, stderr: stderr, stderrExcludes: excluding,
            knownIssue: knownIssue)
    }

    /// A runbook `bad.lua` run against a server of the test (`--base-uri $BASE_URI`), with the
    /// token in `LD_ACCESS_TOKEN`.
    static func network(
        _ name: String, server: Server, _ source: String, status: Int32 = 1, stderr: [String],
        stderrExcludes: [String] = []
    ) -> BadInputCase {
        BadInputCase(
            name: name, files: ["bad.lua": source],
            arguments: [
                "run", "--base-uri", "$BASE_URI", "--project", "demo", "--journal", "journal.jsonl", "bad.lua",
            ],
            environment: ["LD_ACCESS_TOKEN": token], server: server, status: status, stderr: stderr,
            stderrExcludes: stderrExcludes)
    }

    /// A command line given to `ldrun` in a directory holding `ok.lua`.
    static func commandLine(
        _ name: String, _ arguments: [String], status: Int32 = 2, stderr: [String], files: [String: String] = [:],
        folders: [String] = [], knownIssue: String? = nil
    ) -> BadInputCase {
        BadInputCase(
            name: name, files: ["ok.lua": "print('ran')\n"].merging(files) { _, new in new }, folders: folders,
            arguments: arguments, environment: ["LD_ACCESS_TOKEN": token], status: status, stderr: stderr,
            stdoutExcludes: ["ran"], limit: .seconds(20), knownIssue: knownIssue)
    }
}
