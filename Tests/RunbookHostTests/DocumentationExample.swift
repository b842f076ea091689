import Foundation
import Testing

/// A ```lua block of a documentation page, with what the comment right before it says about
/// running it.
///
/// The convention, in the Markdown source (invisible once rendered):
///
///     <!-- not-runnable: why -->          compiled, not run (a fragment, placeholders)
///     <!-- example
///     setup: Lua run first, in the same chunk (repeatable, so `local`s are visible)
///     check: Lua run after the block, in the same chunk (repeatable)
///     args: key=value ...                 the runbook's `-a` options
///     positional: word ...                its arguments after `--`
///     lib: FOLDER                         a module folder (from the repository's root) searched first
///     phase-duration: 500ms               the simulator's phase duration (default 0), in ms or s
///     error: CODE                         the block must fail with this error code
///     -->
///
/// A block without a comment runs as it is. Lines of the form `code  --> text` expect `text`
/// among what the block prints (compared word by word).
struct DocumentationExample: Sendable, CustomTestStringConvertible {
    var page: String
    var heading: String
    /// 1-based among the blocks under the same heading.
    var index: Int
    /// The line of the opening fence.
    var line: Int
    var code: String
    var notRunnable: String?
    var setup: [String] = []
    var check: [String] = []
    var arguments: [String: String] = [:]
    var positional: [String] = []
    /// Module folders, relative to the repository.
    var libraries: [String] = []
    var phaseDuration: Duration = .zero
    var expectedError: String?

    var testDescription: String { "\(page) › \(heading) #\(index)" }

    /// What the block's `-->` comments say it prints, one entry per line.
    var expectedOutput: [String] {
        code.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            guard let range = line.range(of: "-->"), line.hasPrefix("print(") else { return nil }
            return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The chunk that runs: `print` captured for the test, the setup, the block, the checks.
    var source: String {
        let capture = """
            local print = function(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end \
            test.capture(table.concat(t, "\\t")) end
            """
        return ([capture] + setup + [code] + check).joined(separator: "\n")
    }

    /// Every ```lua block of a Markdown file of `docs/`.
    static func blocks(inPage page: String) throws -> [DocumentationExample] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/\(page)").standardized
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        var examples: [DocumentationExample] = []
        var heading = "(top)"
        var perHeading: [String: Int] = [:]
        var number = 0
        while number < lines.count {
            let line = lines[number]
            if line.hasPrefix("```") && line != "```lua" {
                // Another fenced block: skip it whole, so its `#` lines are not headings.
                number += 1
                while number < lines.count && !lines[number].hasPrefix("```") { number += 1 }
                number += 1
                continue
            }
            if line.hasPrefix("#") {
                heading = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                    .replacingOccurrences(of: "`", with: "")
            }
            guard line == "```lua" else {
                number += 1
                continue
            }
            let fence = number
            var body: [String] = []
            number += 1
            while number < lines.count && lines[number] != "```" {
                body.append(lines[number])
                number += 1
            }
            number += 1
            perHeading[heading, default: 0] += 1
            var example = DocumentationExample(
                page: page, heading: heading, index: perHeading[heading]!, line: fence + 1,
                code: body.joined(separator: "\n"))
            example.read(annotation: annotation(before: fence, in: lines))
            examples.append(example)
        }
        return examples
    }

    /// The HTML comment that ends on the last non-blank line before `fence`, if any.
    private static func annotation(before fence: Int, in lines: [String]) -> [String] {
        var end = fence - 1
        while end >= 0 && lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        guard end >= 0, lines[end].hasSuffix("-->") else { return [] }
        var start = end
        while start >= 0 && !lines[start].hasPrefix("<!--") { start -= 1 }
        guard start >= 0 else { return [] }
        return Array(lines[start...end])
    }

    private mutating func read(annotation: [String]) {
        guard let first = annotation.first else { return }
        let joined = annotation.joined(separator: "\n")
        if first.hasPrefix("<!-- not-runnable:") {
            notRunnable = joined.dropFirst("<!-- not-runnable:".count).dropLast(3)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return
        }
        guard first.hasPrefix("<!-- example") else { return }
        for line in annotation.dropFirst().dropLast() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "setup": setup.append(value)
            case "check": check.append(value)
            case "error": expectedError = value
            case "lib": libraries.append(value)
            case "phase-duration":
                if value.hasSuffix("ms"), let ms = Int(value.dropLast(2)) {
                    phaseDuration = .milliseconds(ms)
                } else if value.hasSuffix("s"), let s = Double(value.dropLast()) {
                    phaseDuration = .milliseconds(Int(s * 1000))
                } else {
                    setup.append("error('bad phase-duration \(value)')")
                }
            case "positional": positional += value.split(separator: " ").map(String.init)
            case "args":
                for pair in value.split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    arguments[parts[0]] = parts.count > 1 ? parts[1] : ""
                }
            default: setup.append("error('unknown example key \(key)')")
            }
        }
    }
}
