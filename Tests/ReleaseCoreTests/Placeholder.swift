import Testing

@testable import ReleaseCore

@Suite struct ReleaseCoreSmokeTests {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
