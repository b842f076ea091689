import Foundation
import LuaBridge
import ReleaseCore
import RunbookHost
import Testing

/// The environment a runbook runs in (docs/lua-api.md, "The sandbox"): text chunks only,
/// no C modules, `debug` limited to inspection and tracebacks, `os.exit` through the host.
@Suite(.timeLimit(.minutes(2))) struct SandboxTests {
    /// A scratch folder holding `files`.
    static func folder(_ files: [String: [UInt8]]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-sandbox-\(UUID())").path
        for (name, bytes) in files {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `source` and returns what it handed to `sim.result`.
    func collect(_ source: String) async throws -> (RunReport, [String]) {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let report = await harness.run(source)
        return (report, harness.results.values)
    }

    // MARK: Text chunks only

    @Test(arguments: [
        "load(string.dump(function() return 1 end))",
        "load(string.dump(function() return 1 end), 'dumped', 'b')",
        "load(string.dump(function() return 1 end), 'dumped', 'bt', {})",
        "loadfile(dumped)",
        "loadfile(dumped, 'b')",
        "select(2, pcall(dofile, dumped))",
    ])
    func bytecodeIsRefusedByEveryLoader(expression: String) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-\(UUID()).luac").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (report, values) = try await collect(
            """
            dumped = \(String(reflecting: path))
            local f = io.open(dumped, "wb") f:write(string.dump(function() return 1 end)) f:close()
            local chunk, message = \(expression)
            sim.result(tostring(chunk) .. " " .. tostring(message))
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(values.count == 1)
        #expect(values.first?.contains("attempt to load a binary chunk (mode is 't')") == true, "\(values)")
    }

    @Test func textChunksStillLoadWithTheirEnvironment() async throws {
        let (report, values) = try await collect(
            """
            local a = load("return 1")()
            local b = load("return x", "=c", "t", {x = 2})()
            local c = load("return x", "=c", "bt", {x = 3})()
            sim.result(tostring(a + b + c))
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(values == ["6"])
    }

    // MARK: No C modules

    @Test func cModulesCannotLoad() async throws {
        let (report, values) = try await collect(
            """
            sim.result(tostring(package.loadlib) .. " " .. #package.searchers .. " [" .. package.cpath .. "]")
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(values == ["nil 2 []"])
    }

    // MARK: debug

    @Test func debugKeepsTracebackAndReadOnlyInspection() async throws {
        let (report, values) = try await collect(
            """
            local names = {}
            for name in pairs(debug) do names[#names + 1] = name end
            table.sort(names)
            local local_name = debug.getlocal(1, 1)
            sim.result(table.concat(names, " ") .. " " .. local_name)
            """)
        #expect(report.succeeded, "\(report.outcome)")
        #expect(values == ["gethook getinfo getlocal getupvalue traceback upvalueid names"])
    }

    @Test func debugSethookCannotSwitchInterruptsOff() async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = SafetyTests().hostWithStop(harness)
        let report = await host.run(
            source: "local ok = pcall(function() debug.sethook() end) stop() while true do end", name: "test.lua")
        guard case .interrupted = report.outcome else {
            Issue.record("expected an interruption, got \(report.outcome)")
            return
        }
    }

    // MARK: os.exit

    @Test(arguments: [
        ("os.exit()", Int32(0)),
        ("os.exit(true)", 0),
        ("os.exit(false)", 1),
        ("os.exit(3)", 3),
        ("os.exit(7.0, true)", 7),
        ("pcall(os.exit, 4) sim.result('after') while true do end", 4),
        ("spawn(function() os.exit(5) end) sleep(100)", 5),
        ("spawn(function() sleep(100) end) sleep(0) os.exit(6)", 6),
    ])
    func osExitEndsTheRunThroughTheHost(source: String, status: Int32) async throws {
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let report = await harness.run("release.create{flag = 'dark-mode', pipeline = 'fast-track'} " + source) {
            $0.journalPath = journal
        }
        guard case .exited(let exited) = report.outcome else {
            Issue.record("expected an exit, got \(report.outcome)")
            return
        }
        #expect(exited == status)
        #expect(report.outcome.exitCode == status)
        #expect(!harness.results.values.contains("after"))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONValue(parsing: String($0)) }
        #expect(records.map { $0["operation"]?.stringValue } == ["release.create", "run"])
        #expect(records.last?["outcome"]?.stringValue == "exited")
        #expect(records.last?["exit_status"] == .integer(Int64(status)))
    }

    @Test(arguments: [
        ("os.exit('x')", "bad argument #1 to 'os.exit' (boolean or integer expected, got string)"),
        ("os.exit(1.5)", "bad argument #1 to 'os.exit' (number has no integer representation)"),
        ("os.exit(2^40)", "bad argument #1 to 'os.exit' (exit status out of range: 1099511627776)"),
    ])
    func badExitStatusesAreBadArguments(source: String, expected: String) async throws {
        let (report, _) = try await collect(source)
        #expect(report.failureMessage?.contains(expected) == true, "\(report.outcome)")
    }

    // MARK: Byte order marks and #! lines

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    @Test(arguments: [
        (bom, "bom"), ([], "shebang"), (bom, "bom+shebang"),
    ])
    func aBomAndAShebangLineAreSkippedInRunbooksModulesAndDofile(prefix: [UInt8], kind: String) async throws {
        let first = kind.contains("shebang") ? "#!/usr/bin/env ldrun run\n" : ""
        func file(_ body: String) -> [UInt8] { prefix + Array((first + body).utf8) }
        let line = first.isEmpty ? 2 : 3
        let folder = try Self.folder([
            "main.lua": file(
                "local here, m = ldrun.runbook:match('(.*)/'), require 'mod'\nsim.result(m .. ' ' .. dofile(here .. '/other.lua') .. ' ' .. loadfile(here .. '/other.lua')())\nerror('here')\n"
            ),
            "mod.lua": file("\nreturn tostring(debug.getinfo(1, 'l').currentline)\n"),
            "other.lua": file("\nreturn debug.getinfo(1, 'l').currentline\n"),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let host = RunbookHost(configuration: harness.configuration)
        harness.register(on: host)
        let report = await host.run(file: folder + "/main.lua")
        let expectedLine = line + 1
        #expect(report.failureMessage?.contains("main.lua:\(expectedLine): here") == true, "\(report.outcome)")
        #expect(harness.results.values == ["\(line) \(line) \(line)"])
    }
}
