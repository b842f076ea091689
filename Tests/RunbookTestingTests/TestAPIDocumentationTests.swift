import Foundation
import Testing

@testable import RunbookTesting

/// The test API is written down three times: in the harness (Lua), in the LuaLS definitions
/// `ldrun stubs` writes, and in docs/testing-runbooks.md. These keep the three in step.
@Suite struct TestAPIDocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `NAME` of every `function t.NAME(` in the harness.
    static let harnessFunctions: Set<String> = {
        let source = TestHarness.source(file: "x", mode: .list)
        return names(in: source, after: "function t.", until: "(")
    }()

    static func names(in text: String, after prefix: String, until end: Character) -> Set<String> {
        var names = Set<String>()
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: prefix) else { continue }
            let name = line[range.upperBound...].prefix { $0 != end && $0 != " " }
            if !name.isEmpty { names.insert(String(name)) }
        }
        return names
    }

    @Test func theStubsDeclareEveryFunctionOfT() throws {
        let stubs = try String(
            contentsOf: Self.repository.appendingPathComponent("Sources/RunbookHost/Stubs/TestFileStubs.swift"),
            encoding: .utf8)
        let block =
            try #require(stubs.components(separatedBy: "---@class ldrun.Test\n").last)
            .components(separatedBy: "\n\n").first ?? ""
        let declared = Self.names(in: block, after: "---@field ", until: " ")
        #expect(declared == Self.harnessFunctions)
    }

    @Test func theGuideDocumentsEveryFunctionOfT() throws {
        let guide = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/testing-runbooks.md"), encoding: .utf8)
        // Every `t.NAME(` in the rows of the guide's tables.
        var documented = Set<String>()
        for line in guide.split(separator: "\n") where line.hasPrefix("| `t.") {
            for piece in line.components(separatedBy: "`t.").dropFirst() {
                let name = piece.prefix { $0.isLetter || $0 == "_" }
                if piece.dropFirst(name.count).first == "(" { documented.insert(String(name)) }
            }
        }
        #expect(
            Self.harnessFunctions.subtracting(documented).isEmpty,
            "undocumented: \(Self.harnessFunctions.subtracting(documented))")
        #expect(
            documented.subtracting(Self.harnessFunctions).isEmpty,
            "documented, not there: \(documented.subtracting(Self.harnessFunctions))")
    }

    @Test func theGuideAndTheStubsListEveryScenarioKey() throws {
        let guide = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/testing-runbooks.md"), encoding: .utf8)
        let stubs = try String(
            contentsOf: Self.repository.appendingPathComponent("Sources/RunbookHost/Stubs/TestFileStubs.swift"),
            encoding: .utf8)
        for key in TestScenario.keys where key != "inline_seed" {
            #expect(guide.contains("| `\(key)` |"), "docs/testing-runbooks.md has no row for \(key)")
            #expect(stubs.contains("---@field \(key)?"), "ldrun-test.lua has no field \(key)")
        }
    }
}
