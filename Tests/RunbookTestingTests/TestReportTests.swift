import Testing

@testable import RunbookTesting

@Suite struct TestReportTests {
    @Test func durationsReadAsPeopleWriteThem() {
        #expect(TestReport.format(.milliseconds(12)) == "12ms")
        #expect(TestReport.format(.milliseconds(1400)) == "1.4s")
        #expect(TestReport.format(.seconds(7500)) == "2h05m")
    }
}
