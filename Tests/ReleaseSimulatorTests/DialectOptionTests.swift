import Foundation
import NIOHTTP1
import ReleaseSimulator
import Testing

@Suite("Choosing the dialect")
struct DialectOptionTests {
    @Test("observed is the default of the configuration and the server")
    func defaults() async throws {
        #expect(SimulatorDialect.default == .observed)
        #expect(SimulatorConfiguration().dialect == .observed)
        let server = try await SimulatorServer.start(SimulatorConfiguration())
        #expect(server.dialect == .observed)
        await server.stop()
    }

    @Test(
        "dialect names are read in any case; anything else is a clear error",
        arguments: [
            ("observed", SimulatorDialect.observed), ("spec", .spec), ("SPEC", .spec), (" Observed ", .observed),
            ("real", nil), ("", nil), ("specs", nil),
        ] as [(String, SimulatorDialect?)]
    )
    func parsing(text: String, dialect: SimulatorDialect?) throws {
        if let dialect {
            #expect(try SimulatorDialect(parsing: text) == dialect)
        } else {
            #expect(throws: SimulatorError.invalidConfiguration("invalid dialect '\(text)': expected observed or spec"))
            {
                try SimulatorDialect(parsing: text)
            }
        }
    }

    @Test("the command-line values are exactly the raw values", arguments: SimulatorDialect.allCases)
    func rawValues(_ dialect: SimulatorDialect) {
        #expect(SimulatorDialect(rawValue: dialect.description) == dialect)
        #expect(["observed", "spec"].contains(dialect.rawValue))
    }

    @Test("GET /_sim/dialect reports the dialect", arguments: SimulatorDialect.allCases)
    func adminEndpoint(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(dialect: dialect)) { sim async throws in
            let response = try await sim.send(.GET, "/_sim/dialect", beta: false)
            #expect(response.status == 200)
            #expect(response.text == "{\"dialect\":\"\(dialect.rawValue)\"}")
            #expect(try await sim.send(.GET, "/_sim/dialect", token: "wrong").status == 401)
        }
    }

    @Test("reset keeps the dialect", arguments: SimulatorDialect.allCases)
    func resetKeepsDialect(_ dialect: SimulatorDialect) async throws {
        try await SimulatorHarness.run(SimulatorConfiguration(dialect: dialect)) { sim async throws in
            await sim.server.reset()
            let release = try await sim.createRelease("dark-mode").json
            #expect(release["_version"]?.int == (dialect == .spec ? 1 : 0))
        }
    }

    @Test("releaseStrategy: missing is \"\" observed and refused by the spec; \"\" is kept in both")
    func releaseStrategy() async throws {
        let missing = """
            {"key": "k", "name": "K", "phases": [{"name": "A", "audiences": [{"name": "A", "environmentKey": "test",
              "configuration": {"requireApproval": false}}]}]}
            """
        let empty = missing.replacingOccurrences(
            of: #"{"requireApproval""#, with: #"{"releaseStrategy": "", "requireApproval""#)
        for dialect in SimulatorDialect.allCases {
            try await SimulatorHarness.run(SimulatorConfiguration(dialect: dialect)) { sim async throws in
                let path = "/api/v2/projects/demo/release-pipelines"
                let created = try await sim.send(.POST, path, body: missing)
                if dialect == .observed {
                    #expect(created.status == 201)
                    #expect(
                        created.json["phases"]?[0]?["audiences"]?[0]?["configuration"]?["releaseStrategy"]?.string == ""
                    )
                } else {
                    #expect(created.status == 400)
                    #expect(
                        created.message
                            == "phases[0].audiences[0].configuration.releaseStrategy: required field missing")
                }
                let kept = try await sim.send(.POST, path, body: empty.replacingOccurrences(of: "\"k\"", with: "\"e\""))
                #expect(kept.status == 201)
                #expect(kept.json["phases"]?[0]?["audiences"]?[0]?["configuration"]?["releaseStrategy"]?.string == "")
            }
        }
        let seed = #"""
            {"projects": [{"key": "p", "environments": [{"key": "e"}], "pipelines": [{"key": "x", "name": "X", "phases": [
              {"name": "A", "audiences": [{"name": "A", "environmentKey": "e",
                "configuration": {"releaseStrategy": "", "requireApproval": false}}]}]}]}]}
            """#
        #expect(throws: Never.self) { try SimulatorSeed(json: Data(seed.utf8)) }
    }
}
