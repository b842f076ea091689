import Foundation
import LuaBridge
import ReleaseCore
import ReleaseSimulator
import Testing

@testable import RunbookHost

/// `ldrun.pretty` (what the REPL prints) and `release.summary`, on a table of cases.
@Suite(.timeLimit(.minutes(1))) struct PrettyTests {
    static let cases: [(String, String)] = [
        ("nil", "nil"),
        ("42", "42"),
        ("1.5", "1.5"),
        ("2^53", "9.007199254741e+15"),
        ("true", "true"),
        ("'top-level text stays raw'", "top-level text stays raw"),
        ("{}", "{}"),
        ("{1, 2, 3}", "{1, 2, 3}"),
        ("{'a', 'line\\nbreak'}", #"{"a", "line\nbreak"}"#),
        ("{b = 2, a = 1, [10] = 'x', [2.5] = 'y'}", #"{[2.5] = "y", [10] = "x", a = 1, b = 2}"#),
        ("{['not an id'] = 1, ['end'] = 2, ok_id = 3}", #"{["end"] = 2, ["not an id"] = 1, ok_id = 3}"#),
        ("{[true] = 1}", "{[true] = 1}"),
        ("{1, 2, n = 2}", "{1, 2, n = 2}"),
        ("{f = print}", "{f = <function>}"),
        ("{co = coroutine.create(print)}", "{co = <thread>}"),
        ("{t = spawn(function() end)}", "{t = <ldrun.task>}"),
        ("{null = json.null}", "{null = json.null}"),
        ("local t = {}; t.self = t; return t", "{self = <cycle>}"),
        ("local s = {1}; return {s, s}", "{{1}, {1}}"),
        ("setmetatable({}, {__tostring = function() return 'custom!' end})", "custom!"),
        ("{inner = setmetatable({}, {__tostring = function() return 'inner!' end})}", "{inner = inner!}"),
        (
            "setmetatable({}, {__tostring = function() error('broken') end})",
            "<__tostring failed: repl:1: broken>"
        ),
        ("{{{{{1}}}}}", "{{{{{… 1 entry}}}}}"),
        // Phases without a pipeline key (a pipeline's release counts) are no release: no summary line.
        (
            "{phases = {{_id = 'p1', name = 'Testing', releaseCount = 1}}, totalCount = 1}",
            #"{phases = {{_id = "p1", name = "Testing", releaseCount = 1}}, totalCount = 1}"#
        ),
        ("local t = {}; for i = 1, 60 do t[i] = i end; return t", "items"),
        ("local t = {}; for i = 1, 30 do t['key' .. i] = i * 1000 end; return t", "lines"),
    ]

    @Test(arguments: cases)
    func valuesReadAsLua(source: String, expected: String) async throws {
        let session = try Self.session()
        let chunk = source.hasPrefix("local") ? source : "return " + source
        let execution = await session.evaluate(entry: "return ldrun.pretty((function() \(chunk) end)())")
        await session.close()
        let text = try #require(execution.results.first, "\(execution.outcome)")
        switch expected {
        case "items":
            #expect(text.hasPrefix("{\n  1, 2, 3,"), "\(text)")
            #expect(text.contains(" 50,"))
            #expect(!text.contains("51"))
            #expect(text.hasSuffix(" … 10 more\n}"), "\(text)")
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 })
        case "lines":
            let lines = text.split(separator: "\n")
            #expect(lines.count == 32, "\(text)")
            #expect(lines[1] == "  key1 = 1000,")
            #expect(lines[2] == "  key10 = 10000,")
            #expect(lines.last == "}")
        default:
            #expect(text == expected)
        }
    }

    @Test func badOptionsAreBadArguments() async throws {
        let session = try Self.session()
        for options in ["{depth = 0}", "'deep'", "{items = 1.5}"] {
            let execution = await session.evaluate(entry: "local s = ldrun.pretty({}, \(options)) return s")
            guard case .failed(let error) = execution.outcome else {
                Issue.record("\(options): expected a failure, got \(execution.outcome)")
                continue
            }
            #expect(error.message.hasPrefix("repl:1: bad argument #2 to 'ldrun.pretty'"), "\(error.message)")
        }
        await session.close()
    }

    /// A session without a server: `ldrun.pretty` needs none.
    static func session() throws -> RunbookSession {
        try RunbookHost(
            configuration: RunbookHostConfiguration(client: .init(accessToken: ""), events: EventRecorder())
        ).makeSession()
    }

    /// The summary marks each phase's state and what the active one waits for, in both
    /// dialects; the REPL shows it before a release table.
    @Test(arguments: [SimulatorDialect.observed, .spec])
    func aReleaseStartsWithItsPhaseSummary(dialect: SimulatorDialect) async throws {
        let harness = try await HostHarness.start(phaseDuration: .seconds(60), dialect: dialect)
        defer { Task { await harness.stop() } }
        let session = try RunbookHost(configuration: harness.configuration).makeSession()
        let created = await session.evaluate(entry: "release.create('dark-mode', 'standard')")
        #expect(created.results.first?.hasPrefix("Testing ○ → Staging · → Production ·\n{") == true)
        _ = await session.evaluate(entry: "rel = phase.start('dark-mode')")
        let started = await session.evaluate(entry: "release.summary(rel)").results
        let expected =
            dialect == .observed
            ? "Testing ✓ → Staging ○ → Production ·"  // nothing left to do for Testing
            : "Testing ▶ (rolling out) → Staging · → Production ·"  // the spec waits for completion
        #expect(started == [expected])
        try await harness.simulator.complete(project: "demo", flag: "dark-mode")
        _ = await session.evaluate(entry: "rel = phase.start('dark-mode', 'Staging')")
        let staging = await session.evaluate(entry: "release.summary(rel)").results.first ?? ""
        #expect(staging.hasPrefix("Testing ✓ → Staging ▶ ("), "\(staging)")
        let full = session.describeLastResultInFull() ?? ""
        #expect(full == staging)
        _ = await session.evaluate(entry: "rel")
        #expect(session.describeLastResultInFull()?.contains("_audiences = {\n") == true)
        await session.close()
    }
}
