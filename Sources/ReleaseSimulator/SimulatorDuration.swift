import Foundation

/// Parses the durations the simulator accepts on the command line and in fault specs.
public enum SimulatorDuration {
    /// Parses `"0"`, `"250ms"`, `"5s"`, `"1.5s"`, `"2m"` or `"1h"`; a bare number means seconds.
    public static func parse(_ text: String) throws(SimulatorError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(suffix: String, milliseconds: Double)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000),
        ]
        var number = Substring(trimmed)
        var scale = 1_000.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = trimmed.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw .invalidConfiguration(
                "invalid duration '\(text)': expected a number with an optional unit ms, s, m or h"
            )
        }
        let milliseconds = value * scale
        guard milliseconds <= maximumSeconds * 1_000 else {
            throw .invalidConfiguration(
                "duration out of range '\(text)': the limit is \(Int64(maximumSeconds))s (about 31 years)")
        }
        return .milliseconds(Int64(milliseconds.rounded()))
    }

    /// The longest duration accepted, in seconds (the same limit as runbook durations).
    public static let maximumSeconds: Double = 1_000_000_000

    /// Formats a duration the way `parse` reads it, e.g. `500ms` or `5s`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }
}

extension Duration {
    /// The whole number of milliseconds in this duration.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}

extension Date {
    /// Whole milliseconds since 1970, the API's timestamp format.
    var epochMilliseconds: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1_000).rounded(.down)
        guard milliseconds.isFinite else { return milliseconds < 0 ? .min : .max }
        return milliseconds >= 9.2e18 ? .max : milliseconds <= -9.2e18 ? .min : Int64(milliseconds)
    }
}
