import Foundation
import Testing

@testable import RunbookHost

/// The `time` of journal records and JSON log lines: UTC with milliseconds.
@Suite struct TimestampTests {
    @Test(
        arguments: [
            (0.0, "1970-01-01T00:00:00.000Z"),
            (1_764_601_341.123_9, "2025-12-01T15:02:21.123Z"),
            (951_782_400.5, "2000-02-29T00:00:00.500Z"),
            (-0.25, "1969-12-31T23:59:59.750Z"),
        ]
    )
    func utcWithMilliseconds(seconds: Double, expected: String) {
        #expect(StreamEventSink.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func foundationReadsItBackToTheMillisecond() throws {
        let now = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: StreamEventSink.timestamp(now)))
        #expect(abs(parsed.timeIntervalSince(now)) < 0.001)
    }
}
