import Foundation
import LuaBridge
import RunbookHost
import Testing

@Suite("require") struct APIModuleTests {
    /// A temporary folder with files (relative path → contents), removed by the caller.
    static func folder(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ldrun-lib-\(UUID())").path
        for (relative, contents) in files {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func requireSearchesTheLibraryFoldersInOrder() async throws {
        let first = try Self.folder([
            "team/promote.lua": "local M = {from = 'first'}\nfunction M.greet(n) return 'hi ' .. n end\nreturn M"
        ])
        let second = try Self.folder([
            "team/promote.lua": "return {from = 'second'}",
            "team/util/init.lua": "return {init = true, name = ...}",
        ])
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local promote, where = require "team.promote"
            local util = require("team.util")
            capture(promote.from, promote.greet("ops"), where, util.init, util.name, require("team.promote") == promote)
            """
        ) { $0.libraryFolders = [first, second] }
        expectSucceeded(result.report)
        #expect(
            result.values == ["first", "hi ops", .string(first + "/team/promote.lua"), true, "team.util", true])
    }

    @Test func aMissingModuleListsEveryPlaceSearched() async throws {
        let lib = try Self.folder(["other.lua": "return {}"])
        defer { try? FileManager.default.removeItem(atPath: lib) }
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(require, "team.missing")
            capture(ok, tostring(err))
            """
        ) { $0.libraryFolders = [lib] }
        expectSucceeded(result.report)
        let message = result.values.last?.stringValue ?? ""
        #expect(message.contains("module 'team.missing' not found"))
        #expect(message.contains("no field package.preload['team.missing']"))
        #expect(message.contains("no file '\(lib)/team/missing.lua'"))
        #expect(message.contains("no file '\(lib)/team/missing/init.lua'"))
        #expect(message.contains("no file '(ldrun's built-in library)'"))
        // One searcher's lines follow another's with no empty line between them.
        #expect(!message.contains("\n\t\n"), "\(message)")
        #expect(message.contains("no field package.preload['team.missing']\n\tno file '\(lib)/team/missing.lua'"))
    }

    @Test func aModuleThatDoesNotCompileRaisesModuleError() async throws {
        let lib = try Self.folder(["broken.lua": "return {"])
        defer { try? FileManager.default.removeItem(atPath: lib) }
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(require, "broken")
            capture(err.code, err.message)
            """
        ) { $0.libraryFolders = [lib] }
        expectSucceeded(result.report)
        #expect(result.values.first == "module_error")
        #expect(result.values.last?.stringValue?.hasPrefix("error loading module from \(lib)/broken.lua:") == true)
    }

    @Test func aModuleCannotWaitWhileItLoadsButItsFunctionsCan() async throws {
        let lib = try Self.folder([
            "eager.lua": "local rel = release.get('dark-mode')\nreturn {}",
            "lazy.lua": "return {status = function(flag) return release.get(flag) == nil and 'none' or 'some' end}",
        ])
        defer { try? FileManager.default.removeItem(atPath: lib) }
        let harness = try await HostHarness.start()
        defer { Task { await harness.stop() } }
        let result = await harness.evaluate(
            """
            local ok, err = pcall(require, "eager")
            capture(err.code, require("lazy").status("dark-mode"))
            """
        ) { $0.libraryFolders = [lib] }
        expectSucceeded(result.report)
        #expect(result.values == ["not_yieldable", "none"])
    }
}
