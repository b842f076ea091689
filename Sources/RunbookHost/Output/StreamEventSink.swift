import Foundation
import ReleaseCore
import Synchronization

/// Writes events to a file descriptor (stderr by default) as aligned human lines, or as
/// one JSON object per line. Colour only on a terminal, and never with a non-empty
/// `NO_COLOR` (an empty one counts as unset, as no-color.org says).
public final class StreamEventSink: RunEventSink {
    /// The output format.
    public enum Format: String, Sendable, CaseIterable {
        case human, json
    }

    private let format: Format
    private let minimumLevel: RunEvent.Level
    private let colour: Bool
    private let descriptor: Int32
    private let lock = Mutex(())
    private let diversion = Mutex<(@Sendable (String) -> Bool)?>(nil)

    /// - Parameters:
    ///   - useColour: nil decides from the descriptor (a terminal) and `NO_COLOR` (set and
    ///     not empty: no colour).
    public init(
        format: Format, minimumLevel: RunEvent.Level = .info, descriptor: Int32 = STDERR_FILENO,
        useColour: Bool? = nil, environment: [String: String] = [:]
    ) {
        self.format = format
        self.minimumLevel = minimumLevel
        self.descriptor = descriptor
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        self.colour = useColour ?? (isatty(descriptor) != 0 && !noColor && format == .human)
    }

    public func emit(_ event: RunEvent) {
        guard event.level >= minimumLevel else { return }
        let line = format == .json ? Self.json(event) : human(event)
        if let divert = diversion.withLock({ $0 }), divert(line) { return }
        lock.withLock { _ in
            var bytes = Array((line + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes {
                    write(descriptor, $0.baseAddress! + offset, $0.count - offset)
                }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// While set, each line goes to `handler` first, which shows it itself (a REPL shows
    /// it above the prompt that waits) or returns false to have it written as usual.
    public func divert(through handler: (@Sendable (String) -> Bool)?) {
        diversion.withLock { $0 = handler }
    }

    static func json(_ event: RunEvent) -> String {
        var object = event.fields
        object["time"] = .string(Self.timestamp(event.time))
        object["level"] = .string(event.level.description)
        object["event"] = .string(event.name)
        object["message"] = .string(event.message)
        return JSONValue.object(object).serialized(sortedKeys: true)
    }

    private func human(_ event: RunEvent) -> String {
        let clock = Self.clockTime(event.time)
        let level = event.level.description.uppercased().padding(toLength: 5, withPad: " ", startingAt: 0)
        var details = event.fields.keys.sorted().map { key in "\(key)=\(Self.plain(event.fields[key]!))" }
            .joined(separator: " ")
        if !details.isEmpty { details = "  " + details }
        guard colour else { return "\(clock) \(level) \(event.message)\(details)" }
        let tint =
            switch event.level {
            case .debug: "\u{1B}[2m"
            case .info: "\u{1B}[36m"
            case .warn: "\u{1B}[33m"
            case .error: "\u{1B}[31m"
            }
        let reset = "\u{1B}[0m"
        return "\u{1B}[2m\(clock)\(reset) \(tint)\(level)\(reset) \(event.message)\u{1B}[2m\(details)\(reset)"
    }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text.contains(" ") ? "\"\(text)\"" : text }
        return value.serialized(sortedKeys: true)
    }

    private static func clockTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// `2026-12-01T15:02:21.123Z`: UTC with milliseconds, as ISO 8601 and RFC 3339 write it.
    /// Written by hand: a Foundation date formatter costs more than the rest of a journal
    /// record together.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1_000).rounded(.down)
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return "1970-01-01T00:00:00.000Z" }
        let total = Int64(milliseconds)
        let (wholeSeconds, fraction) = (total - (total % 1_000 + 1_000) % 1_000, (total % 1_000 + 1_000) % 1_000)
        var seconds = time_t(wholeSeconds / 1_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2)
            + "T" + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2) + "."
            + digits(Int32(fraction), 3) + "Z"
    }
}
