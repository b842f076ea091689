import Testing

@testable import RunbookTesting

@Suite struct TestReportTests {
    @Test func durationsReadAsPeopleWriteThem() {
        #expect(TestReport.format(.milliseconds(12)) == "12ms")
        #expect(TestReport.format(.milliseconds(1400)) == "1.4s")
        #expect(TestReport.format(.seconds(7500)) == "2h05m")
    }

    /// Any duration has a spelling, even one no test could take: none traps.
    @Test func extremeDurationsAreSpelledNotTrapped() {
        #expect(TestReport.format(.seconds(Int64.max)).hasSuffix("h"))
        #expect(TestReport.format(.seconds(Int64.min)).hasSuffix("ms"))
        #expect(TestReport.format(.seconds(3 * 86_400)) == "3d00h")
    }
}
