import Foundation
import ReleaseCore
import Testing

@testable import RunbookHost

/// ``HostAPI`` is the one registry that `ldrun check`, `ldrun stubs` and `:help` build on: it
/// must name exactly what a session defines, and agree with docs/lua-api.md (the prose of
/// every entry), so none of them can drift.
@Suite struct HostAPIRegistryTests {
    static let api = HostAPI.builtIn
    static let reference = APIReference.builtIn

    /// A field the host defines for its own use, not for runbooks.
    static let internalNames: Set<String> = ["ldrun.search_module"]

    @Test func theHostBindsExactlyTheRegistrysHostFunctions() async throws {
        let session = try APIReferenceTests.session()
        let bound = Set(session.boundFunctionNames)
        await session.close()
        let registered = Set(Self.api.functions.filter { $0.origin == .host || $0.origin == .standard }.map(\.name))
        #expect(bound.subtracting(registered).isEmpty, "bound but not in HostAPI: \(bound.subtracting(registered))")
        #expect(registered.subtracting(bound).isEmpty, "in HostAPI but not bound: \(registered.subtracting(bound))")
    }

    @Test func everyGlobalAndFieldASessionDefinesIsRegistered() async throws {
        let session = try APIReferenceTests.session()
        let keywords = Set(session.completions(for: "").filter { $0.first?.isLowercase == true && Self.isKeyword($0) })
        let globals = Set(session.completions(for: "")).subtracting(keywords)
            .subtracting(LuaStandardNames.globals).subtracting(LuaStandardNames.tables.keys)
        var fields: [String: Set<String>] = [:]
        for table in Self.api.globals { fields[table] = Set(session.completions(for: table + ".")) }
        await session.close()
        // `sim` exists only under --simulate.
        #expect(globals == Set(Self.api.globals).subtracting(["sim"]))
        for table in Self.api.globals where !Self.api.fields(of: table).isEmpty && table != "sim" {
            let registered = Set(Self.api.fields(of: table).map { "\(table).\($0)" })
            let defined = fields[table, default: []].subtracting(Self.internalNames)
            #expect(defined == registered, "\(table): defined \(defined.sorted()), registered \(registered.sorted())")
        }
    }

    @Test func theStandardNamesAreWhatTheSandboxLeaves() async throws {
        let session = try APIReferenceTests.session()
        let globals = Set(session.completions(for: ""))
        for global in LuaStandardNames.globals { #expect(globals.contains(global), "\(global)") }
        for (table, names) in LuaStandardNames.tables {
            let defined = Set(session.completions(for: table + ".").map { String($0.dropFirst(table.count + 1)) })
            #expect(defined == Set(names), "\(table): defined \(defined.sorted())")
        }
        await session.close()
    }

    @Test func taskMethodsExist() async throws {
        let session = try APIReferenceTests.session()
        let methods = Self.api.functions.filter { $0.origin == .method }.map { $0.name.dropFirst("task:".count) }
        let source = "local t = spawn(function() end) return " + methods.map { "type(t.\($0))" }.joined(separator: "..")
        let execution = await session.evaluate(entry: source)
        await session.close()
        #expect(methods.count == 2)
        #expect(execution.results == [String(repeating: "function", count: methods.count)])
    }

    @Test func everyFunctionHasItsSignatureInTheReference() {
        let markdown = EmbeddedLibrary.reference
        for function in Self.api.functions {
            guard function.origin != .simulator else {
                // `sim.*` is a table in the reference, not headings.
                #expect(markdown.contains("`\(function.signature)`"), "docs/lua-api.md lacks `\(function.signature)`")
                continue
            }
            guard let entry = Self.reference.entry(named: function.name) else {
                Issue.record("no entry for \(function.name) in docs/lua-api.md")
                continue
            }
            let first = entry.names[0]
            #expect(
                entry.signature == function.signature.replacingOccurrences(of: function.name, with: first),
                "\(function.name): the heading reads \(entry.signature)")
        }
        for value in Self.api.values {
            #expect(Self.reference.entry(named: value.name) != nil, "no entry for \(value.name)")
        }
    }

    @Test func helpHasAnEntryForEveryFunctionAndValue() async throws {
        let session = try APIReferenceTests.session()
        let names = Self.api.functions.filter { $0.origin != .simulator }.map(\.name) + Self.api.values.map(\.name)
        let missing = names.filter { session.help($0) == nil }
        await session.close()
        #expect(missing.isEmpty, ":help has no entry for \(missing)")
    }

    @Test func everyReferenceEntryIsRegistered() {
        let names = Set(Self.api.functions.map(\.name) + Self.api.values.map(\.name))
        let unregistered = Self.reference.entries.flatMap(\.names).filter { !names.contains($0) }
        #expect(unregistered.isEmpty, "documented but not in HostAPI: \(unregistered)")
    }

    /// The words of a heading's signatures are the registry's parameters and keys, and each
    /// option key is described in the entry's text.
    @Test func parametersAndOptionKeysAgreeWithTheReference() {
        for function in Self.api.functions where function.origin != .simulator {
            guard let entry = Self.reference.entry(named: function.name) else { continue }
            let heading = String(entry.text.prefix { $0 != "\n" })
            let words = Self.words(inSignaturesOf: heading, name: entry.names[0])
            let options = function.parameters.flatMap { $0.options ?? [] } + (function.tableForm ?? [])
            let known = Set(function.parameters.map(\.name) + options.map(\.name))
            #expect(words.isSubset(of: known), "\(function.name): \(words.subtracting(known)) in the heading")
            for parameter in function.parameters where !words.contains(parameter.name) {
                let keys = Set((parameter.options ?? []).map(\.name))
                #expect(!keys.isDisjoint(with: words), "\(function.name): '\(parameter.name)' not in the heading")
            }
            for option in options {
                #expect(
                    Self.mentions(entry.text, option.name), "\(function.name): option '\(option.name)' undocumented")
            }
        }
    }

    static func words(inSignaturesOf heading: String, name: String) -> Set<String> {
        let parts = heading.split(separator: "`", omittingEmptySubsequences: false)
        var words: Set<String> = []
        for index in stride(from: 1, to: parts.count, by: 2) where parts[index].hasPrefix(name) {
            let arguments = parts[index].dropFirst(name.count)
            for word in arguments.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            where word.first?.isLetter == true && word != "true" {
                words.insert(String(word))
            }
        }
        return words
    }

    static func mentions(_ text: String, _ word: String) -> Bool {
        ["`\(word)`", "\(word)=", "`\(word) ", ".\(word)", "[\"\(word)\"]"].contains { text.contains($0) }
    }

    static func isKeyword(_ word: String) -> Bool {
        [
            "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local",
            "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
        ].contains(word)
    }
}
