import Foundation
import LuaBridge

/// `ldrun check` without luacheck: the problems in one runbook or module, found without
/// running it. First the Lua compiler's verdict (a file that does not compile has only
/// that problem), then ldrun's checks of its API (``RunbookAnalyzer``).
package struct RunbookChecker: Sendable {
    package let api: HostAPI

    package init(api: HostAPI = .builtIn) {
        self.api = api
    }

    /// The problems in a file's bytes, in source order. As when ldrun runs a file, a UTF-8
    /// byte order mark and a first line starting with `#` are skipped.
    package func problems(in bytes: [UInt8]) -> [CheckProblem] {
        let source = LuaState.skippingFilePrefix(bytes)
        let tokens = LuaTokenizer.tokens(source)
        if let syntax = Self.syntaxProblem(source, tokens: tokens) { return [syntax] }
        return RunbookAnalyzer.problems(in: tokens, api: api)
    }

    package func problems(in source: String) -> [CheckProblem] {
        problems(in: Array(source.utf8))
    }

    /// What `luaL_loadbuffer` says of the source, located: its line, and the column of the
    /// token it names (`near 'foo'`), else 1.
    static func syntaxProblem(_ source: [UInt8], tokens: [LuaToken]) -> CheckProblem? {
        let state: LuaState
        do {
            state = try LuaState(openStandardLibraries: false)
        } catch {
            return CheckProblem(line: 1, column: 1, message: "cannot check: \(error.message)", source: .syntax)
        }
        // Invalid UTF-8 becomes U+FFFD, which compiles (or not) as the byte it replaces does.
        do {
            _ = try state.load(String(decoding: source, as: UTF8.self), chunkName: "=chunk")
            return nil
        } catch {
            var message = Substring(error.message)
            var line = 1
            if message.hasPrefix("chunk:") {
                let rest = message.dropFirst("chunk:".count)
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                if let number = Int(digits), rest.dropFirst(digits.count).hasPrefix(": ") {
                    line = number
                    message = rest.dropFirst(digits.count + 2)
                }
            }
            let column = Self.column(of: String(message), line: line, tokens: tokens)
            return CheckProblem(line: line, column: column, message: String(message), source: .syntax)
        }
    }

    /// The column of the token a compiler message ends with (`near 'x'`, `near <eof>`).
    private static func column(of message: String, line: Int, tokens: [LuaToken]) -> Int {
        guard let near = message.range(of: " near ", options: .backwards) else { return 1 }
        var text = String(message[near.upperBound...])
        if text.hasPrefix("'"), text.hasSuffix("'"), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        let candidates = tokens.filter { $0.line == line }
        if let token = candidates.first(where: { $0.text == text && $0.kind != .string }) { return token.column }
        if text == "<eof>", let last = tokens.last, last.line == line { return last.column }
        return 1
    }
}
