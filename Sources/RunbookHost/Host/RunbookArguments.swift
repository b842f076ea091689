/// The runbook options given on the command line as `-a key=value`, which a runbook reads
/// as `args.key`.
public enum RunbookArguments {
    /// An option that is not of the form `key=value` with a non-empty key.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        /// The option as given.
        public let option: String
        /// `-a expects key=value, got 'OPTION'`.
        public var description: String { "-a expects key=value, got '\(option)'" }
    }

    /// The options as `args` entries: each splits at its first `=` (the value may contain
    /// more, or be empty); when a key repeats, the last value wins.
    ///
    /// - Throws: ``Invalid`` for the first option with no `=` or nothing before it.
    public static func parse(_ options: [String]) throws(Invalid) -> [String: String] {
        var arguments: [String: String] = [:]
        for option in options {
            guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                throw Invalid(option: option)
            }
            arguments[String(option[..<equals])] = String(option[option.index(after: equals)...])
        }
        return arguments
    }
}
