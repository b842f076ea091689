import LuaBridge
import Testing

@Suite struct ChunkTests {
    @Test func syntaxErrorsNameTheChunkAndLine() throws {
        let state = try LuaState()
        let error = #expect(throws: LuaError.self) {
            _ = try state.load("local x = 1\nlocal = 2\n", chunkName: "@promote.lua")
        }
        #expect(error?.kind == .syntax)
        #expect(error?.message.hasPrefix("promote.lua:2:") == true)
        let named = #expect(throws: LuaError.self) { _ = try state.load("return +", chunkName: "=repl") }
        #expect(named?.message.hasPrefix("repl:1:") == true)
    }

    @Test func binaryChunksAreRefused() throws {
        let state = try LuaState()
        let values = try state.run(
            """
            local f, err = load(string.dump(function() return 1 end), "dumped", "t")
            local g, err2 = load(string.dump(function() return 1 end))
            return f, err, g ~= nil
            """
        )
        #expect(values.first == .nil)
        #expect(values[1].stringValue?.contains("binary chunk") == true)
        let bytecode = try state.run("return string.dump(function() return 1 end)")
        guard case .bytes(let bytes) = bytecode.first else {
            Issue.record("expected bytes, got \(bytecode)")
            return
        }
        let path = try temporaryFile(bytes)
        let error = #expect(throws: LuaError.self) { _ = try state.load(contentsOfFile: path) }
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("attempt to load a binary chunk") == true)
    }

    @Test func missingFilesAreFileErrors() throws {
        let state = try LuaState()
        let error = #expect(throws: LuaError.self) { _ = try state.load(contentsOfFile: "/nonexistent/x.lua") }
        #expect(error?.kind == .file)
        #expect(error?.message == "cannot open /nonexistent/x.lua: No such file or directory")
    }

    @Test func runtimeErrorsCarryATraceback() throws {
        let state = try LuaState()
        let error = #expect(throws: LuaError.self) {
            try state.run("local function inner() error('deep') end\nlocal function outer() inner() end\nouter()")
        }
        #expect(error?.message == "test.lua:1: deep")
        #expect(error?.traceback?.contains("test.lua:1: in upvalue 'inner'") == true)
        #expect(error?.traceback?.contains("test.lua:3: in main chunk") == true)
    }
}
