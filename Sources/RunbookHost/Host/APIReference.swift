/// The runbook API reference (docs/lua-api.md, compiled in) read as entries, for the REPL's
/// `:help`: every `### ` heading that names functions in backticks is an entry, with the
/// `## ` section it belongs to and its text up to the next heading.
public struct APIReference: Sendable {
    public struct Entry: Sendable, Equatable {
        /// The names the heading documents (`log.debug`, `log.info`, ...).
        public var names: [String]
        /// The heading's first signature (`phase.start(target [, phase [, options]])`).
        public var signature: String
        /// The `## ` section (`phase`, `waiting and concurrency`).
        public var section: String
        /// The heading and the text under it, as written.
        public var text: String
    }

    public let entries: [Entry]

    /// The reference compiled into ldrun.
    public static let builtIn = APIReference(markdown: EmbeddedLibrary.reference)

    public init(markdown: String) {
        var entries: [Entry] = []
        var section = ""
        var current: Entry?
        var inFence = false
        var inComment = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            // HTML comments (the examples' test settings) are not for readers.
            if !inFence, line.hasPrefix("<!--") { inComment = true }
            if inComment {
                inComment = !line.contains("-->")
                continue
            }
            if line.hasPrefix("```") { inFence.toggle() }
            let heading = !inFence && line.hasPrefix("#")
            if heading, let entry = current {
                entries.append(Self.trimmed(entry))
                current = nil
            }
            if heading, line.hasPrefix("## ") {
                section = String(line.dropFirst(3))
            } else if heading, line.hasPrefix("### ") {
                let signatures = Self.backticked(String(line))
                var names: [String] = []
                for name in signatures.compactMap(Self.name) where !names.contains(name) { names.append(name) }
                if !names.isEmpty, let first = signatures.first {
                    current = Entry(names: names, signature: first, section: section, text: String(line))
                }
            } else if current != nil {
                current?.text += "\n" + line
            }
        }
        if let entry = current { entries.append(Self.trimmed(entry)) }
        self.entries = entries
    }

    /// The entry documenting `name` (`phase.start`, `task:wait`), if any.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.names.contains(name) }
    }

    /// One line per entry whose names `exists` accepts, grouped by section: the signature,
    /// and the other names it documents.
    public func overview(where exists: (String) -> Bool) -> String {
        var lines: [String] = []
        var section: String?
        for entry in entries where entry.names.contains(where: exists) {
            if entry.section != section {
                if section != nil { lines.append("") }
                lines.append(entry.section)
                section = entry.section
            }
            let others = entry.names.dropFirst().filter(exists)
            lines.append("  " + entry.signature + (others.isEmpty ? "" : ", " + others.joined(separator: ", ")))
        }
        lines.append("")
        lines.append(":help NAME shows one entry (:help phase.start); docs/lua-api.md has them all.")
        return lines.joined(separator: "\n")
    }

    private static func trimmed(_ entry: Entry) -> Entry {
        var entry = entry
        while entry.text.hasSuffix("\n") { entry.text.removeLast() }
        return entry
    }

    /// The backticked parts of a heading.
    private static func backticked(_ line: String) -> [String] {
        let parts = line.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
    }

    /// The function or field a signature names: its leading dotted identifier (`release.get`
    /// of `release.get(target)`, `task:wait`), or nil when it names none (`--flag`).
    private static func name(_ signature: String) -> String? {
        let name = signature.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == ":" }
        guard let first = name.first, first.isLetter || first == "_" else { return nil }
        return String(name)
    }
}
