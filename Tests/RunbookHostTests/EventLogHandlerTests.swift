import Logging
import ReleaseCore
import RunbookHost
import Testing

/// What the core logs through swift-log reaches the run's event sink.
struct EventLogHandlerTests {
    @Test func logMessagesBecomeRunEventsWithTheirLevelAndMetadata() {
        let recorder = EventRecorder()
        var logger = EventLogHandler.logger(label: "ldrun.release-core", sink: recorder)
        logger[metadataKey: "run"] = "7"
        logger.warning("the server refused phase status 'active'", metadata: ["operation": "phase.start"])
        logger.debug("detail")
        logger.critical("broken")
        let events = recorder.events
        #expect(events.map(\.level) == [.warn, .debug, .error])
        #expect(events.allSatisfy { $0.name == "log" })
        #expect(events.first?.message == "the server refused phase status 'active'")
        #expect(
            events.first?.fields
                == ["operation": .string("phase.start"), "run": .string("7"), "source": .string("ldrun.release-core")])
    }
}
