import Foundation
import LuaBridge

/// Durations as runbooks and the command line write them: a number of seconds (`90`, `0.5`)
/// or a string with units (`"500ms"`, `"90s"`, `"5m"`, `"1h"`, `"1h30m"`).
///
/// Every duration that crosses into Swift, from Lua or argv, goes through
/// ``check(seconds:)`` or ``parseChecked(_:)``: negative, infinite, NaN and out-of-range
/// values are errors with a clear message, never a trap in a conversion.
public enum RunbookDuration {
    /// The longest duration accepted, in seconds (about 31 years): far beyond any wait a
    /// release needs, and far inside what clocks and sleeps can represent.
    public static let maximumSeconds: Double = 1_000_000_000

    /// Why a duration was refused.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        /// What kind of mistake it is.
        public enum Kind: Sendable { case negative, notFinite, outOfRange, syntax }
        public let kind: Kind
        /// What is wrong, e.g. `duration out of range: 1e+16 seconds (the limit is ...)`.
        public let message: String
        public var description: String { message }

        init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// The duration of `seconds`, or why it is not one.
    public static func check(seconds: Double) throws(Invalid) -> Duration {
        try validate(seconds: seconds)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `seconds` as ``check(seconds:)`` takes it, to the millisecond, without building a
    /// `Duration` (`ldrun.duration` of a number).
    static func rounded(seconds: Double) throws(Invalid) -> Double {
        try validate(seconds: seconds)
        return (seconds * 1000).rounded() / 1000
    }

    /// Why `seconds` is not a duration, if it is not one.
    private static func validate(seconds: Double) throws(Invalid) {
        guard !seconds.isNaN else { throw Invalid(.notFinite, "duration must be a number, got nan") }
        guard seconds.isFinite else {
            throw Invalid(.notFinite, "duration must be finite, got \(seconds < 0 ? "-inf" : "inf")")
        }
        guard seconds >= 0 else { throw Invalid(.negative, "duration must be >= 0") }
        guard seconds <= maximumSeconds else {
            throw Invalid(
                .outOfRange,
                "duration out of range: \(format(seconds)) seconds (the limit is \(format(maximumSeconds)), "
                    + "about 31 years)")
        }
    }

    /// Parses a duration string, or says why it is not one.
    public static func parseChecked(_ text: String) throws(Invalid) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return try check(seconds: seconds) }
        let invalid = Invalid(
            .syntax, "invalid duration \"\(text)\" (use seconds or \"500ms\", \"90s\", \"5m\", \"1h\")")
        var totalSeconds = 0.0
        var number = ""
        var rest = Substring(trimmed)
        guard !rest.isEmpty else { throw invalid }
        while let character = rest.first {
            if character.isASCII && (character.isNumber || character == ".") {
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
                throw invalid
            }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value.isFinite else { throw invalid }
            number = ""
            let scale: Double =
                switch unit {
                case "ms": 0.001
                case "s": 1
                case "m": 60
                default: 3600
                }
            totalSeconds += value * scale
        }
        guard number.isEmpty else { throw invalid }
        return try check(seconds: totalSeconds)
    }

    /// Parses a duration string; nil when it is not one (or is out of range).
    public static func parse(_ text: String) -> Duration? {
        try? parseChecked(text)
    }

    /// A duration argument of a host function, or a bad-argument error.
    static func argument(_ call: HostCall, _ index: Int32) throws(LuaHostError) -> Duration {
        switch call.type(at: index) {
        case .number:
            let seconds = try call.number(at: index)
            do {
                return try check(seconds: seconds)
            } catch {
                throw call.argumentError(index, error.message)
            }
        case .string:
            let text = try call.string(at: index)
            do {
                return try parseChecked(text)
            } catch {
                throw call.argumentError(index, error.message)
            }
        default:
            throw call.typeError(index, expected: "duration")
        }
    }

    /// A duration field of an options table, or a bad-argument error naming the field.
    static func field(_ value: LuaValue, name: String, call: HostCall, argument: Int32) throws(LuaHostError)
        -> Duration?
    {
        do throws(Invalid) {
            switch value {
            case .nil: return nil
            case .integer(let i): return try check(seconds: Double(i))
            case .number(let d): return try check(seconds: d)
            case .string(let text): return try parseChecked(text)
            default: break
            }
        } catch {
            switch error.kind {
            case .negative: throw call.argumentError(argument, "'\(name)' must be a duration >= 0")
            case .syntax:
                throw call.argumentError(argument, "'\(name)' is not a duration: \"\(value.stringValue ?? "")\"")
            case .notFinite, .outOfRange: throw call.argumentError(argument, "'\(name)': \(error.message)")
            }
        }
        throw call.argumentError(argument, "'\(name)' must be a duration, got \(value.typeName)")
    }

    /// Seconds as a Lua number.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `1e+16`, `90`, `0.5`: a number as a person reads it.
    static func format(_ seconds: Double) -> String {
        if seconds == seconds.rounded(), abs(seconds) < 1e15 { return String(Int64(seconds)) }
        return "\(seconds)"
    }
}
