import LuaBridge

extension HostCall {
    /// Refuses an option table with a key the function does not read, so a misspelt option
    /// (`{timout = "5m"}`) is an error rather than silently ignored:
    /// `bad argument #3 to 'phase.wait' (unknown option 'timout'; did you mean 'timeout'?
    /// options: every, timeout, until)`. A key that is not a string is refused too.
    func checkOptionKeys(_ options: LuaValue, at argument: Int32, known: [String]) throws(LuaHostError) {
        if let problem = OptionKeys.problem(in: options, known: known) { throw argumentError(argument, problem) }
    }
}

/// Checking the keys of an option table against the ones a function reads.
public enum OptionKeys {
    /// What is wrong with the keys of `options`, if anything.
    public static func problem(in options: LuaValue, known: [String]) -> String? {
        let list = known.sorted().joined(separator: ", ")
        if case .array(let items) = options, !items.isEmpty {
            return "options are named fields (\(list)), got a number key"
        }
        guard case .table(let entries) = options else { return nil }
        for key in entries.keys {
            guard case .string(let name) = key else {
                return "options are named fields (\(list)), got a \(key.typeName) key"
            }
            guard !known.contains(name) else { continue }
            let hint = closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ";"
            return "unknown option '\(name)'\(hint) options: \(list)"
        }
        return nil
    }

    /// The known name nearest to `name` (at most two edits away, ignoring case), if any.
    public static func closest(to name: String, in known: [String]) -> String? {
        let lowered = Array(name.lowercased().utf8)
        let scored = known.map { ($0, distance(lowered, Array($0.lowercased().utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    /// Levenshtein distance between two byte strings.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for (i, x) in a.enumerated() {
            current[0] = i + 1
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
