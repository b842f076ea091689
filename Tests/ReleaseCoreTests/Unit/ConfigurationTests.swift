import ReleaseCore
import Testing

@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("commercial", "https://app.launchdarkly.com"),
        ("EU", "https://app.eu.launchdarkly.com"),
        ("federal", "https://app.launchdarkly.us"),
        ("https://ld.example.com/", "https://ld.example.com"),
        ("https://ld.example.com:8443/proxy/", "https://ld.example.com:8443/proxy"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.1.2.3", "http://127.1.2.3"),
        ("http://localhost:9000", "http://localhost:9000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ])
    func acceptedBaseURLs(text: String, expected: String) throws {
        #expect(try BaseURL(text).description == expected)
    }

    @Test(arguments: [
        "http://app.launchdarkly.com", "http://10.0.0.1", "http://128.0.0.1", "http://127.0.0.1.evil.com",
        "http://localhost.evil.com", "http://api.localhost:9000", "http://x.localhost", "ftp://127.0.0.1",
        "app.launchdarkly.com", "https://", "https://x?y=1",
    ])
    func refusedBaseURLs(text: String) {
        #expect {
            try BaseURL(text)
        } throws: { error in
            (error as? ReleaseError)?.kind == .config
        }
    }

    @Test func presetsMatchTheInstances() {
        #expect(BaseURL.Instance.allCases.map(\.baseURL) == [.commercial, .eu, .federal])
        #expect(BaseURL.commercial.url(path: "/api/v2/x") == "https://app.launchdarkly.com/api/v2/x")
    }

    @Test func validationRefusesUnusableSettings() {
        var configuration = ReleaseClientConfiguration(accessToken: " ")
        #expect(throws: ReleaseError.self) { try configuration.validate() }
        configuration.accessToken = "tok\nen"
        #expect(throws: ReleaseError.self) { try configuration.validate() }
        configuration.accessToken = "token"
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.retry.maxAttempts = 0
        #expect(throws: ReleaseError.self) { try configuration.validate() }
    }

    @Test func clientInitValidatesAndTheDefaultUserAgentNamesLdrun() {
        #expect(throws: ReleaseError.self) {
            try ReleaseClient(
                configuration: .init(accessToken: ""), transport: StubTransport { _ in .init(status: 200) })
        }
        #expect(ReleaseClientConfiguration(accessToken: "t").userAgent == "ldrun/dev")
        #expect(ReleaseClientConfiguration.userAgent(version: "1.2.3") == "ldrun/1.2.3")
    }
}

@Suite struct ConfigurationRedactionTests {
    @Test func printingOrDumpingAConfigurationNeverShowsTheToken() {
        let configuration = ReleaseClientConfiguration(accessToken: "api-super-secret", defaultProject: "web")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("api-super-secret"))
            #expect(text.contains("[redacted]"))
        }
        #expect(ReleaseClientConfiguration.Instance.eu.baseURL == .eu)
    }
}
