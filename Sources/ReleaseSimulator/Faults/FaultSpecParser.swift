import Foundation

/// Reads the `--faults` text syntax:
///
///     RULE[;RULE...]
///     RULE = ROUTE[:flag=KEY][:count=N|:p=P]:ACTION
///     ACTION = status=CODE | retry-after=SECONDS | reset=past | latency=DURATION | drop=before|after
enum FaultSpecParser {
    static func parse(_ spec: String) throws(SimulatorError) -> [FaultRule] {
        var rules: [FaultRule] = []
        for text in spec.split(separator: ";") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { rules.append(try parseRule(trimmed)) }
        }
        return rules
    }

    private static func parseRule(_ text: String) throws(SimulatorError) -> FaultRule {
        var fields = text.split(separator: ":").map(String.init)
        guard !fields.isEmpty else { throw invalid(text, "expected ROUTE:ACTION, e.g. any:status=503") }
        let routeName = fields.removeFirst()
        var route: SimulatorRoute?
        if routeName != "any" {
            guard let known = SimulatorRoute(rawValue: routeName) else {
                let names = (["any"] + SimulatorRoute.allCases.map(\.rawValue)).joined(separator: ", ")
                throw .invalidConfiguration("fault '\(text)': unknown route '\(routeName)'; expected one of \(names)")
            }
            route = known
        }
        var flagKey: String?
        var trigger = FaultTrigger.always
        var action: FaultAction?
        for field in fields {
            let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw invalid(text, "'\(field)' is not of the form name=value") }
            let (name, value) = (pair[0], pair[1])
            switch name {
            case "flag": flagKey = value
            case "count":
                guard let count = Int(value), count > 0 else { throw invalid(text, "count must be a positive integer") }
                trigger = .count(count)
            case "p", "probability":
                guard let probability = Double(value), (0...1).contains(probability) else {
                    throw invalid(text, "p must be a number between 0 and 1")
                }
                trigger = .probability(probability)
            default:
                guard action == nil else { throw invalid(text, "a rule has exactly one action") }
                action = try parseAction(name: name, value: value, rule: text)
            }
        }
        guard let action else {
            throw invalid(text, "no action; add status=, retry-after=, reset=past, latency= or drop=")
        }
        return FaultRule(route: route, flagKey: flagKey, trigger: trigger, action: action)
    }

    private static func parseAction(name: String, value: String, rule: String) throws(SimulatorError) -> FaultAction {
        switch (name, value) {
        case ("status", _):
            guard let status = Int(value), (400...599).contains(status) else {
                throw invalid(rule, "status must be an HTTP error status (400-599)")
            }
            return .status(status)
        case ("retry-after", _):
            guard let seconds = Int(value), seconds >= 0 else {
                throw invalid(rule, "retry-after must be a whole number of seconds")
            }
            return .rateLimited(retryAfterSeconds: seconds)
        case ("reset", "past"): return .rateLimitedResetInPast
        case ("latency", _):
            do {
                return .latency(try SimulatorDuration.parse(value))
            } catch {
                throw invalid(rule, error.message)
            }
        case ("drop", "before"): return .dropBeforeProcessing
        case ("drop", "after"): return .dropAfterProcessing
        default: throw invalid(rule, "unknown setting '\(name)=\(value)'")
        }
    }

    private static func invalid(_ rule: String, _ reason: String) -> SimulatorError {
        .invalidConfiguration("fault '\(rule)': \(reason)")
    }
}
