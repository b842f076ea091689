import Foundation
import ReleaseCore
import Testing

@testable import RunbookHost

/// What `ldrun stubs` writes comes from ``HostAPI``: every function the host binds is
/// defined in the LuaLS stubs and listed in the luacheck standard, and nothing else is.
@Suite struct EditorStubsTests {
    static let stubs = LuaLSStubs().text

    /// The names after `function ` in the stubs.
    static var definedFunctions: [String] {
        stubs.split(separator: "\n").filter { $0.hasPrefix("function ") }.map {
            String($0.dropFirst("function ".count).prefix { $0 != "(" })
        }
    }

    @Test func everyBoundFunctionIsStubbedAndNothingElse() async throws {
        let session = try APIReferenceTests.session()
        let bound = session.boundFunctionNames
        await session.close()
        let stubbed = Set(Self.definedFunctions)
        // os.exit keeps LuaLS's own definition of the standard function.
        let missing = bound.filter { !stubbed.contains($0) && $0 != "os.exit" }
        #expect(missing.isEmpty, "bound but not stubbed: \(missing)")
        let registered = Set(HostAPI.builtIn.functions.map(\.name))
        #expect(
            stubbed.subtracting(registered).isEmpty, "stubbed but not in the API: \(stubbed.subtracting(registered))")
        #expect(stubbed == registered.subtracting(["os.exit"]))
        #expect(Self.definedFunctions.count == stubbed.count, "each function once")
    }

    @Test func functionsCarryParametersReturnsOverloadsAndTheReferenceText() throws {
        let lines = Self.stubs.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "function phase.wait(target, phase, options) end"))
        let doc = lines[..<start].reversed().prefix { $0.hasPrefix("---") }.reversed()
        #expect(doc.first?.hasPrefix("---Waits until a phase is **rolled out**") == true, "\(doc)")
        #expect(doc.contains("---@param target string|ldrun.Release|ldrun.Target"))
        #expect(doc.contains("---@param phase? string|ldrun.Phase|boolean"))
        #expect(doc.contains("---@param options? ldrun.PhaseWaitOptions"))
        #expect(doc.contains("---@return ldrun.Release"))
        #expect(
            Self.stubs.contains(
                "---@overload fun(form: ldrun.ReleaseCreateForm): ldrun.Release\nfunction release.create(flag, pipeline, variation) end"
            ))
        #expect(Self.stubs.contains("---@param ... any\n---@return ldrun.Task\nfunction spawn(fn, ...) end"))
        #expect(Self.stubs.contains("local task = {}") && Self.stubs.contains("function task:wait() end"))
        #expect(Self.stubs.contains("---@type boolean\nldrun.dry_run = nil"))
        #expect(!Self.stubs.contains("<!--"), "the reference's test settings stay out")
        #expect(!Self.stubs.contains("](#"), "links to anchors of the docs are plain text")
        #expect(Self.stubs.contains("---- Returns: a release table, or `nil` when the API answers 404"))
    }

    @Test func everyOptionIsAFieldOfItsClass() {
        for function in HostAPI.builtIn.functions {
            for parameter in function.parameters {
                guard let options = parameter.options, let name = parameter.optionsClass else { continue }
                let block = Self.classBlock(name)
                for option in options {
                    #expect(
                        block.contains("---@field \(option.name)\(option.required ? " " : "? ")"),
                        "\(name).\(option.name)")
                }
            }
            if let form = function.tableForm {
                let block = Self.classBlock(LuaLSStubs.formClass(function))
                for option in form {
                    #expect(block.contains("---@field \(option.name)"), "\(function.name){\(option.name)}")
                }
            }
        }
        #expect(Self.classBlock("ldrun.PhaseWaitOptions").contains(#"---@field until? "rolled_out"|"complete""#))
    }

    /// The stubs are Lua that compiles, and every name they define is one `ldrun check` knows.
    @Test func theStubsCompileAndCheckClean() {
        #expect(RunbookChecker().problems(in: Self.stubs).map(\.description) == [])
    }

    @Test func linksBecomeTheirText() {
        #expect(
            LuaLSStubs.unlinked("a [b](#c) d [e](f.md#g) [h](https://x.y/z) [i] (j)")
                == "a b d e [h](https://x.y/z) [i] (j)")
    }

    static func classBlock(_ name: String) -> String {
        guard let start = stubs.range(of: "---@class \(name)\n") else { return "" }
        return stubs[start.upperBound...].components(separatedBy: "\n\n").first ?? ""
    }

    @Test func luarcPointsAtTheFolderAndListsTheGlobals() throws {
        let json = try JSONValue(parsing: EditorSettings.luarc(folder: ".ldrun/stubs \"x\""))
        #expect(json["workspace.library"] == .array([.string(".ldrun/stubs \"x\"")]))
        #expect(json["runtime.version"] == .string("Lua 5.4"))
        let globals = json["diagnostics.globals"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(globals) == Set(HostAPI.builtIn.globals))
        #expect(globals.contains("wait_until") && globals.contains("sim"))
    }

    @Test func theLuacheckStandardListsEveryGlobalAndField() {
        let text = EditorSettings.luacheckrc()
        #expect(
            text.contains(
                "    phase = {fields = {next = {}, active = {}, find = {}, state = {}, start = {}, wait = {}}},\n"))
        #expect(text.contains("    \"sleep\",\n") && text.contains("    args = {other_fields = true},\n"))
        for global in HostAPI.builtIn.globals {
            #expect(text.contains("    \(global)") || text.contains("\"\(global)\""))
        }
        #expect(text.contains("std = \"ldrun\""))
        // The sandbox's standard library, from the names a test holds to a real session.
        #expect(text.contains("    debug = {fields = {getinfo = any, getlocal = any, gethook = any, getupvalue = any,"))
        #expect(!text.contains("sethook"))
        #expect(text.contains("dry_run = any") && text.contains("    \"print\",\n"))
    }
}
