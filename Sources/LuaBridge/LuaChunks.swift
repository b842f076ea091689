import CLua
import Foundation
import LuaShim

extension LuaState {
    /// Compiles a text chunk and returns it as a function. Binary chunks are refused.
    ///
    /// - Parameter chunkName: `@path` for files (errors then read `path:12:`), `=name`
    ///   for other sources.
    public func load(_ source: String, chunkName: String) throws(LuaError) -> LuaReference {
        var source = source
        let status = source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                chunkName.withCString { ldr_loadtext(L, chars.baseAddress, chars.count, $0) }
            }
        }
        return try finishLoad(status)
    }

    /// Compiles a file as a text chunk named `@path`.
    ///
    /// As the standalone interpreter does for files, a UTF-8 byte order mark and a first
    /// line starting with `#` (`#!/usr/bin/env ldrun`) are skipped, line numbers unchanged.
    public func load(contentsOfFile path: String) throws(LuaError) -> LuaReference {
        let bytes = Self.skippingFilePrefix(try Self.readFile(path))
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                "@\(path)".withCString { ldr_loadtext(L, chars.baseAddress, chars.count, $0) }
            }
        }
        do {
            return try finishLoad(status)
        } catch  where !error.message.hasPrefix(path) {
            throw LuaError(kind: error.kind, message: "\(path): \(error.message)")
        }
    }

    /// The bytes of a chunk file without a leading UTF-8 byte order mark, and without the
    /// text of a first line starting with `#` (its newline stays, so line 2 is still line 2).
    public static func skippingFilePrefix(_ bytes: [UInt8]) -> [UInt8] {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if start < bytes.count, bytes[start] == UInt8(ascii: "#") {
            start = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        }
        return start == 0 ? bytes : Array(bytes[start...])
    }

    private static func readFile(_ path: String) throws(LuaError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw LuaError(kind: .file, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        if ferror(file) != 0 {
            throw LuaError(kind: .file, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return bytes
    }

    private func finishLoad(_ status: Int32) throws(LuaError) -> LuaReference {
        let s = stack
        guard status == LUA_OK else {
            let message = s.string(at: -1) ?? "cannot load chunk"
            s.pop()
            throw LuaError(kind: status == LUA_ERRMEM ? .memory : .syntax, message: message)
        }
        defer { s.pop() }
        return try s.reference(at: -1)
    }

    /// Calls a function in protected mode with a traceback and returns its results.
    public func call(_ function: LuaReference, _ arguments: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        let s = stack
        let base = s.top
        defer { s.settop(base) }
        try s.reserve(Int32(clamping: arguments.count) + 2)
        s.push(function)
        try s.push(arguments)
        let status = ldr_pcall_traceback(L, Int32(arguments.count), LUA_MULTRET)
        guard status == LUA_OK else {
            let errorTop = s.top
            let traceback = ldr_pushlasttraceback(L) == LUA_OK ? s.string(at: -1) : nil
            s.settop(errorTop)
            throw errorFromStack(status: status, traceback: traceback, on: s)
        }
        return try s.values(count: s.top - base)
    }

    /// Calls a function in protected mode with a copy of the value at `index` of the main
    /// stack (kept a Lua value: a table keeps its identity and metatable) followed by
    /// `arguments`, and returns its results.
    public func call(
        _ function: LuaReference, passingValueAt index: Int32, _ arguments: [LuaValue] = []
    ) throws(LuaError) -> [LuaValue] {
        let s = stack
        let absolute = lua_absindex(L, index)
        let base = s.top
        defer { s.settop(base) }
        try s.reserve(Int32(clamping: arguments.count) + 3)
        s.push(function)
        s.pushCopy(of: absolute)
        try s.push(arguments)
        let status = ldr_pcall_traceback(L, Int32(arguments.count) + 1, LUA_MULTRET)
        guard status == LUA_OK else {
            let errorTop = s.top
            let traceback = ldr_pushlasttraceback(L) == LUA_OK ? s.string(at: -1) : nil
            s.settop(errorTop)
            throw errorFromStack(status: status, traceback: traceback, on: s)
        }
        return try s.values(count: s.top - base)
    }

    /// Compiles and runs a text chunk, returning its results.
    @discardableResult
    public func execute(_ source: String, chunkName: String = "=chunk") throws(LuaError) -> [LuaValue] {
        try call(load(source, chunkName: chunkName))
    }

    /// Builds a ``LuaError`` from the error object on top of `stack` (left in place).
    func errorFromStack(status: Int32, traceback: String?, on stack: LuaStack) -> LuaError {
        var message = stack.describe(at: -1)
        let value = try? stack.value(at: -1)
        if stack.type(at: -1) == .table, message.hasPrefix("table: "), let text = value?["message"].stringValue {
            message = text
        }
        let kind: LuaError.Kind =
            switch status {
            case LUA_ERRMEM: .memory
            case LUA_ERRERR: .messageHandler
            default: .runtime
            }
        return LuaError(kind: kind, message: message, value: value, traceback: traceback)
    }
}
