import Foundation

/// Calls of API functions, checked against ``HostAPI`` where the source shows enough: the
/// number of arguments, the kinds of literals passed, the keys of table literals given as
/// options or table forms, and duration and choice literals. What only a run can know (the
/// value of a variable, what a call returns) is left to the run.
extension RunbookAnalyzer {
    mutating func checkCall(_ name: String, at open: Int) {
        guard let function = api.function(named: name), function.origin != .method else { return }
        let arguments = expressions.arguments(at: open)
        if let form = function.tableForm, arguments.count == 1, arguments[0].literal == .table {
            checkTable(at: arguments[0].range.lowerBound, keys: form, argument: 1, of: function)
            return
        }
        checkCount(arguments, of: function, at: open)
        for (offset, (argument, parameter)) in zip(arguments, function.parameters).enumerated() {
            check(argument, against: parameter, number: offset + 1, of: function)
        }
    }

    private mutating func checkCount(
        _ arguments: [TokenExpressions.Expression], of function: HostAPI.Function, at open: Int
    ) {
        let required = function.parameters.prefix { !$0.optional }.count
        let several = arguments.last?.mayBeSeveral == true
        let certain = several ? arguments.count - 1 : arguments.count
        if !function.variadic, certain > function.parameters.count {
            let extra = arguments[function.parameters.count]
            let most = function.parameters.count
            report(
                extra.range.lowerBound,
                "too many arguments to '\(function.name)' (it takes \(most == 0 ? "none" : "at most \(most)"), got \(certain))"
            )
        } else if !several, arguments.count < required {
            let missing = function.parameters[arguments.count]
            let at = arguments.last.map { $0.range.upperBound } ?? open
            report(
                at,
                "bad argument #\(arguments.count + 1) to '\(function.name)' (\(missing.type.expected) expected, got no value)"
            )
        }
    }

    private mutating func check(
        _ argument: TokenExpressions.Expression, against parameter: HostAPI.Parameter, number: Int,
        of function: HostAPI.Function
    ) {
        guard let literal = argument.literal else { return }
        let at = argument.range.lowerBound
        if literal == .nil, parameter.optional { return }
        if let accepted = parameter.type.literals, !accepted.contains(literal) {
            report(
                at,
                "bad argument #\(number) to '\(function.name)' (\(parameter.type.expected) expected, got \(literal.rawValue))"
            )
            return
        }
        if parameter.type.isDuration, let problem = Self.durationProblem(argument) {
            report(at, "bad argument #\(number) to '\(function.name)' (\(problem))")
        }
        if literal == .table, let keys = parameter.options {
            checkTable(at: at, keys: keys, argument: number, of: function)
        }
    }

    /// The keys of a table literal given as argument `number`, and the literals given for them.
    private mutating func checkTable(
        at open: Int, keys: [HostAPI.Option], argument number: Int, of function: HostAPI.Function
    ) {
        let (entries, others) = expressions.entries(ofTableAt: open)
        let names = keys.map(\.name)
        for entry in entries {
            guard let option = keys.first(where: { $0.name == entry.key }) else {
                report(
                    entry.keyToken,
                    "unknown key '\(entry.key)' in argument #\(number) to '\(function.name)'"
                        + Spelling.hint(for: entry.key, among: names))
                continue
            }
            if let problem = Self.problem(entry.value, for: option) {
                report(entry.value.range.lowerBound, "bad argument #\(number) to '\(function.name)' (\(problem))")
            }
        }
        guard !others else { return }
        for option in keys where option.required && !entries.contains(where: { $0.key == option.name }) {
            report(open, "bad argument #\(number) to '\(function.name)' (field '\(option.name)' is required)")
        }
    }

    /// What is wrong with a literal given for an option, as the host would say it.
    private static func problem(_ value: TokenExpressions.Expression, for option: HostAPI.Option) -> String? {
        guard let literal = value.literal, literal != .nil else { return nil }
        let name = option.name
        if let accepted = option.type.literals, !accepted.contains(literal) {
            return "'\(name)' must be \(article(option.type.expected)) \(option.type.expected), got \(literal.rawValue)"
        }
        if option.type.isDuration, let problem = durationProblem(value) {
            return literal == .string ? "'\(name)' is not a duration: \"\(value.text ?? "")\"" : "'\(name)': \(problem)"
        }
        if !option.choices.isEmpty, literal == .string, let text = value.text, !option.choices.contains(text) {
            let choices = option.choices.map { "\"\($0)\"" }.joined(separator: " or ")
            return "'\(name)' must be \(choices), got \"\(text)\"" + Spelling.hint(for: text, among: option.choices)
        }
        return nil
    }

    /// Why a duration literal is not one (the host's own parser decides), or nil.
    static func durationProblem(_ value: TokenExpressions.Expression) -> String? {
        guard let text = value.text else { return nil }
        do {
            switch value.literal {
            case .string: _ = try RunbookDuration.parseChecked(text)
            case .number:
                guard let seconds = Double(text) ?? Self.hexadecimal(text) else { return nil }
                _ = try RunbookDuration.check(seconds: seconds)
            default: return nil
            }
        } catch {
            return error.message
        }
        return nil
    }

    private static func hexadecimal(_ text: String) -> Double? {
        let negative = text.hasPrefix("-")
        let digits = text.drop { $0 == "-" }
        guard digits.lowercased().hasPrefix("0x"), let value = Int64(digits.dropFirst(2), radix: 16) else { return nil }
        return Double(negative ? -value : value)
    }

    private static func article(_ noun: String) -> String {
        "aeiou".contains(noun.first ?? "x") ? "an" : "a"
    }
}
