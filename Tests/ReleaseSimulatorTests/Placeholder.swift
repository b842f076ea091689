import Testing

@testable import ReleaseSimulator

@Suite struct ReleaseSimulatorSmokeTests {
    @Test func moduleLinks() {
        #expect(Bool(true))
    }
}
