import Logging
import ReleaseCore

/// A swift-log handler that turns what the core logs (a start value the server refused, a
/// header clamped) into run events, so it reaches the operator in the run's own format (human
/// lines or JSON) rather than swift-log's default one on stderr. `trace` and `debug` become
/// debug events (shown with `--verbose`), `notice` an info event, `critical` an error.
public struct EventLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .debug
    private let sink: any RunEventSink
    private let label: String

    public init(label: String, sink: any RunEventSink) {
        self.label = label
        self.sink = sink
    }

    /// A logger with this handler.
    public static func logger(label: String, sink: any RunEventSink) -> Logger {
        Logger(label: label) { label in EventLogHandler(label: label, sink: sink) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level: RunEvent.Level =
            switch event.level {
            case .trace, .debug: .debug
            case .info, .notice: .info
            case .warning: .warn
            case .error, .critical: .error
            }
        var fields: [String: JSONValue] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = .string("\(value)")
        }
        fields["source"] = .string(label)
        sink.emit(RunEvent(level: level, name: "log", message: "\(event.message)", fields: fields))
    }
}
