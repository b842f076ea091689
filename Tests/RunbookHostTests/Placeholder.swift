import Testing

@testable import RunbookHost

@Suite struct RunbookHostSmokeTests {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
