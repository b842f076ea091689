import Foundation
import LuaBridge
import RunbookHost
import Testing

/// What an interactive session keeps and shows: `_`, the banner, the prompt.
@Suite(.timeLimit(.minutes(1))) struct ReplSessionTests {
    @Test func underscoreHoldsTheFirstResultOfTheLastEntryThatReturnedOne() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let session = try RunbookHost(configuration: harness.configuration).makeSession()
        #expect(await session.evaluate(entry: "40 + 2, 'second'").results == ["42", "second"])
        #expect(await session.evaluate(entry: "_ + 1").results == ["43"])
        #expect(await session.evaluate(entry: "y = 5").results.isEmpty)
        #expect(await session.evaluate(entry: "_").results == ["43"])
        _ = await session.evaluate(entry: "setmetatable({n = 7}, {__index = function() return 'same table' end})")
        #expect(await session.evaluate(entry: "_.n, _.other").results == ["7", "same table"])
        await session.close()
    }

    @Test func theBannerNamesTheInstanceProjectAndDryRun() {
        var client = ReleaseClientConfiguration(accessToken: "api-secret-token", baseURL: .eu, defaultProject: "web")
        var configuration = RunbookHostConfiguration(client: client, events: EventRecorder())
        configuration.dryRun = true
        let banner = ReplBanner.text(version: "1.2.3", luaVersion: "Lua 5.4.6", configuration: configuration)
        #expect(
            banner == "ldrun 1.2.3 (Lua 5.4.6) · eu (https://app.eu.launchdarkly.com) · project web · DRY RUN\n"
                + "Ctrl-D to leave")
        #expect(!banner.contains("api-secret-token"))
        client.baseURL = try! BaseURL("http://127.0.0.1:8080")
        client.defaultProject = nil
        let live = ReplBanner.text(
            version: "1.2.3", luaVersion: "Lua 5.4.6",
            configuration: RunbookHostConfiguration(client: client, events: EventRecorder()), dialect: .spec)
        #expect(
            live == "ldrun 1.2.3 (Lua 5.4.6) · http://127.0.0.1:8080 · no default project · dialect spec\n"
                + "Ctrl-D to leave")
        #expect(ReplBanner.prompt(dryRun: true, continued: false) == "dry-run> ")
        #expect(ReplBanner.prompt(dryRun: true, continued: true) == "dry-run>> ")
        #expect(ReplBanner.prompt(dryRun: false, continued: false) == "> ")
    }

    @Test func aRunKeepsItsReturnedValueAsJSONOnRequest() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let table = await harness.run("return {flag = 'dark-mode', list = {1, 2}, ok = true}, 'ignored'") {
            $0.capturesReturnedJSON = true
        }
        #expect(table.returnedJSON?.serialized(sortedKeys: true) == #"{"flag":"dark-mode","list":[1,2],"ok":true}"#)
        let nothing = await harness.run("local x = 1") { $0.capturesReturnedJSON = true }
        #expect(nothing.returnedJSON == .null)
        let function = await harness.run("return {f = print}") { $0.capturesReturnedJSON = true }
        #expect(function.returnedJSON == nil)
        #expect(function.returnedJSONProblem?.contains("function") == true, "\(function.returnedJSONProblem ?? "")")
    }
}

/// `NO_COLOR` turns colour off only when it is set to something.
@Suite struct NoColorTests {
    /// Whether a warning written to a pseudo-terminal comes out coloured.
    private func coloured(environment: [String: String]) throws -> Bool {
        var controller: Int32 = 0
        var terminal: Int32 = 0
        guard openpty(&controller, &terminal, nil, nil, nil) == 0 else { throw POSIXError(.ENOTTY) }
        defer {
            close(controller)
            close(terminal)
        }
        let sink = StreamEventSink(format: .human, descriptor: terminal, environment: environment)
        sink.emit(RunEvent(level: .warn, name: "note", message: "careful"))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(controller, &buffer, buffer.count)
        return buffer[0..<max(count, 0)].contains(0x1B)
    }

    @Test func anEmptyNoColorCountsAsUnset() throws {
        #expect(try coloured(environment: [:]))
        #expect(try coloured(environment: ["NO_COLOR": ""]))
        #expect(try !coloured(environment: ["NO_COLOR": "1"]))
    }
}
