import Foundation
import LuaBridge

/// Durations as runbooks write them: a number of seconds (`90`, `0.5`) or a string with
/// units (`"500ms"`, `"90s"`, `"5m"`, `"1h"`, `"1h30m"`).
public enum RunbookDuration {
    /// Parses a duration string; nil when it is not one.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        var total: Duration = .zero
        var number = ""
        var rest = Substring(trimmed)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isNumber || character == "." {
                number.append(character)
                rest = rest.dropFirst()
                continue
            }
            let unit: String
            if rest.hasPrefix("ms") {
                unit = "ms"
            } else if "hms".contains(character) {
                unit = String(character)
            } else {
                return nil
            }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value.isFinite else { return nil }
            number = ""
            let milliseconds: Double =
                switch unit {
                case "ms": value
                case "s": value * 1000
                case "m": value * 60_000
                default: value * 3_600_000
                }
            total += .milliseconds(Int64(milliseconds.rounded()))
        }
        return number.isEmpty ? total : nil
    }

    /// A duration argument of a host function, or a bad-argument error.
    static func argument(_ call: HostCall, _ index: Int32) throws(LuaHostError) -> Duration {
        switch call.type(at: index) {
        case .number:
            let seconds = try call.number(at: index)
            guard seconds >= 0, seconds.isFinite else { throw call.argumentError(index, "duration must be >= 0") }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        case .string:
            let text = try call.string(at: index)
            guard let duration = parse(text) else {
                throw call.argumentError(
                    index, "invalid duration \"\(text)\" (use seconds or \"500ms\", \"90s\", \"5m\", \"1h\")")
            }
            return duration
        default:
            throw call.typeError(index, expected: "duration")
        }
    }

    /// A duration field of an options table, or a bad-argument error naming the field.
    static func field(_ value: LuaValue, name: String, call: HostCall, argument: Int32) throws(LuaHostError)
        -> Duration?
    {
        switch value {
        case .nil: return nil
        case .integer, .number:
            guard let seconds = value.doubleValue, seconds >= 0 else {
                throw call.argumentError(argument, "'\(name)' must be a duration >= 0")
            }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        case .string(let text):
            guard let duration = parse(text) else {
                throw call.argumentError(argument, "'\(name)' is not a duration: \"\(text)\"")
            }
            return duration
        default:
            throw call.argumentError(argument, "'\(name)' must be a duration, got \(value.typeName)")
        }
    }

    /// Seconds as a Lua number.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
