import Foundation

/// How one test went.
public struct TestResult: Sendable {
    public enum Status: String, Sendable {
        case passed
        case failed
        case skipped
    }

    /// The test file.
    public var file: String
    /// The test's name (with ` [spec]` or ` [observed]` for a test run in both dialects).
    public var name: String
    public var status: Status
    /// Real time the test took.
    public var duration: Duration
    /// Virtual time that passed in it.
    public var simulated: Duration = .zero
    public var failure: TestFailure?
    /// Why a skipped test was skipped (`t.skip(reason)`), if it said.
    public var skipReason: String?
}

/// Why a test failed: the message, where (`file:line` of the failed expectation, or of
/// the error in the test file), the expected and actual values, the traceback, the last
/// failed `t.run`, and what the test logged.
public struct TestFailure: Sendable {
    public var message: String
    public var location: String?
    public var expected: String?
    public var actual: String?
    public var traceback: String?
    public var log: [String] = []
    /// The last `t.run` that failed, with its error and traceback.
    public var run: String?
    /// What the test and its runs printed.
    public var output = ""

    init(
        message: String, location: String?, expected: String? = nil, actual: String? = nil,
        traceback: String? = nil, log: [String] = [], run: String? = nil, output: String = ""
    ) {
        self.output = output
        self.message = message
        self.location = location
        self.expected = expected
        self.actual = actual
        self.traceback = traceback
        self.log = log
        self.run = run
    }
}

/// The text `ldrun test` prints and the JUnit XML it writes.
public enum TestReport {
    /// The line for a result, and the failure's details below it.
    public static func lines(for result: TestResult, showingFile: Bool) -> [String] {
        var lines: [String] = []
        if showingFile { lines.append(result.file) }
        let mark =
            switch result.status {
            case .passed: "✓"
            case .failed: "✗"
            case .skipped: "-"
            }
        var timing = format(result.duration)
        if result.simulated >= .seconds(1) { timing += ", \(format(result.simulated)) simulated" }
        var line = "  \(mark) \(result.name)"
        switch result.status {
        case .skipped: line += " (skipped" + (result.skipReason.map { ": \($0)" } ?? "") + ")"
        default: line += " (\(timing))"
        }
        lines.append(line)
        guard let failure = result.failure else { return lines }
        let message =
            if let location = failure.location, !failure.message.hasPrefix(location) {
                "\(location): \(failure.message)"
            } else {
                failure.message
            }
        lines += indented(message, by: 6)
        if let expected = failure.expected, let actual = failure.actual, expected.count + actual.count > 60 {
            lines += indented("expected: " + expected, by: 8)
            lines += indented("actual:   " + actual, by: 8)
        }
        if let traceback = failure.traceback {
            let frames = traceback.split(separator: "\n").map(String.init).filter {
                !$0.isEmpty && !$0.contains("ldrun test") && !$0.contains("[C]: in ?") && !$0.contains("'xpcall'")
            }
            if frames.count > 1 { lines += frames.map { "      " + $0 } }
        }
        if let run = failure.run { lines += indented(run, by: 6) }
        if !failure.output.isEmpty {
            lines.append("      output:")
            let printed = failure.output.hasSuffix("\n") ? String(failure.output.dropLast()) : failure.output
            lines += printed.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
                .map { "        " + $0 }
        }
        if !failure.log.isEmpty {
            lines.append("      log:")
            lines += failure.log.suffix(20).map { "        " + $0 }
        }
        return lines
    }

    /// `N passed, N failed` (`, N skipped`), and the time.
    public static func summary(_ results: [TestResult], duration: Duration) -> String {
        let passed = results.count { $0.status == .passed }
        let failed = results.count { $0.status == .failed }
        let skipped = results.count { $0.status == .skipped }
        var text = "\(passed) passed, \(failed) failed"
        if skipped > 0 { text += ", \(skipped) skipped" }
        return text + " (\(format(duration)))"
    }

    /// Results as JUnit XML: one `testsuite` per file, one `testcase` per test.
    public static func junit(_ results: [TestResult]) -> String {
        var files: [String] = []
        var byFile: [String: [TestResult]] = [:]
        for result in results {
            if byFile[result.file] == nil { files.append(result.file) }
            byFile[result.file, default: []].append(result)
        }
        func seconds(_ duration: Duration) -> String {
            let (whole, atto) = duration.components
            return String(format: "%.3f", Double(whole) + Double(atto) / 1e18)
        }
        func count(_ list: [TestResult], _ status: TestResult.Status) -> Int { list.count { $0.status == status } }
        let total = results.reduce(Duration.zero) { $0 + $1.duration }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"ldrun test\" tests=\"\(results.count)\" failures=\"\(count(results, .failed))\" "
        xml += "skipped=\"\(count(results, .skipped))\" time=\"\(seconds(total))\">\n"
        for file in files {
            let list = byFile[file] ?? []
            let time = list.reduce(Duration.zero) { $0 + $1.duration }
            xml += "  <testsuite name=\"\(escape(file))\" tests=\"\(list.count)\" failures=\"\(count(list, .failed))\" "
            xml += "errors=\"0\" skipped=\"\(count(list, .skipped))\" time=\"\(seconds(time))\">\n"
            for result in list {
                xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(result.name))\" "
                xml += "time=\"\(seconds(result.duration))\""
                switch result.status {
                case .passed:
                    xml += "/>\n"
                case .skipped:
                    xml += ">\n      <skipped"
                    if let reason = result.skipReason { xml += " message=\"\(escape(reason))\"" }
                    xml += "/>\n    </testcase>\n"
                case .failed:
                    let failure = result.failure
                    let details = lines(for: result, showingFile: false).dropFirst().joined(separator: "\n")
                    xml += ">\n      <failure message=\"\(escape(failure?.message ?? "failed"))\""
                    xml += " type=\"failure\">\(escape(details))</failure>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// `12ms`, `1.4s`, `2h05m`.
    public static func format(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        // Clamped, so the conversions below hold for any duration (a test's is at most days).
        let seconds = min(max(Double(whole) + Double(atto) / 1e18, -1e15), 1e15)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        if total < 86_400 { return String(format: "%dh%02dm", total / 3600, total % 3600 / 60) }
        return String(format: "%dd%02dh", total / 86_400, total % 86_400 / 3600)
    }

    private static func indented(_ text: String, by spaces: Int) -> [String] {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }
    }

    /// Text for an XML attribute or element: markup characters escaped, and the control
    /// characters XML 1.0 cannot carry dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\n", "\t", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
