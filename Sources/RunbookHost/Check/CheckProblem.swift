/// One problem `ldrun check` found in a file, at a line and column.
package struct CheckProblem: Sendable, Equatable, CustomStringConvertible {
    /// Where a problem comes from.
    package enum Source: Sendable, Equatable {
        /// The Lua compiler (`luaL_loadbuffer`): the file does not compile.
        case syntax
        /// ldrun's own checks of its API: names, arguments, option keys, durations.
        case api
        /// luacheck's general lint.
        case lint
    }

    package let line: Int
    package let column: Int
    package let message: String
    package let source: Source

    package init(line: Int, column: Int, message: String, source: Source) {
        self.line = line
        self.column = column
        self.message = message
        self.source = source
    }

    /// `line:col: message`.
    package var description: String { "\(line):\(column): \(message)" }

    /// By line, then column, then message, so that the output never depends on the order
    /// the checks ran in.
    package static func inSourceOrder(_ a: CheckProblem, _ b: CheckProblem) -> Bool {
        (a.line, a.column, a.message) < (b.line, b.column, b.message)
    }

    /// `file:line:col: message`, the form editors and CI read.
    package func formatted(file: String) -> String { "\(file):\(description)" }
}

/// Near misses: `strat` for `start`, `timout` for `timeout`.
package enum Spelling {
    /// The closest of `candidates` to `word`, when it is close enough to be a typo: at most
    /// one edit for words of up to four letters, two for longer ones (a swap of neighbours
    /// counts as one). Ties go to the first in alphabetical order.
    package static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        // No name worth suggesting is this long, and comparing costs the product of lengths.
        guard word.count <= 64 else { return nil }
        let limit = word.count <= 4 ? 1 : 2
        var best: (distance: Int, name: String)?
        for candidate in Set(candidates).sorted() where candidate != word && candidate.count <= 64 {
            let distance = Self.distance(Array(word), Array(candidate))
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (distance, candidate) }
        }
        return best?.name
    }

    /// ` (did you mean 'start'?)`, or nothing.
    static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The optimal string alignment distance: insertions, deletions, substitutions and swaps
    /// of adjacent characters.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
