// Fuzzes json.decode and json.encode as a runbook sees them: the input is decoded in a
// real runbook session (RunbookHost's public API), and the Lua value encoded again must
// be exactly what ReleaseCore's parser and serializer make of the same bytes. Inputs the
// parser refuses must make json.decode raise an `invalid_json` error, never crash.

import FuzzSupport
import RunbookHost

/// The input being run, handed to the runbook by `fuzz.input()`.
nonisolated(unsafe) var currentInput: [UInt8] = []

let caseSource = """
    function fuzz_case()
      local input, expected = fuzz.input()
      local ok, value = pcall(json.decode, input)
      if not ok then
        assert(expected == nil, "json.decode refused what the parser accepts: " .. tostring(value))
        assert(type(value) == "table" and value.code == "invalid_json", "not an invalid_json error: " .. tostring(value))
        return
      end
      assert(expected ~= nil, "json.decode accepted what the parser refuses")
      local text = json.encode(value)
      assert(text == expected, "encode(decode(x)) is " .. text .. ", the serializer says " .. expected)
      assert(json.encode(json.decode(text)) == text, "a second round trip changed " .. text)
      local pretty = json.encode(value, {pretty = true})
      assert(json.encode(json.decode(pretty)) == text, "pretty output does not round trip: " .. pretty)
    end
    """

/// One session for the whole run, as a REPL keeps one: its globals hold `fuzz_case`.
let session: RunbookSession = {
    let client = ReleaseClientConfiguration(
        accessToken: "fuzz-not-a-token", baseURL: try! BaseURL("http://127.0.0.1:9"), defaultProject: "fuzz")
    let host = RunbookHost(configuration: RunbookHostConfiguration(client: client, events: ClosureEventSink { _ in }))
    host.register("fuzz.input") { _ in
        let expected = (try? JSONValue(parsing: currentInput))?.serialized(sortedKeys: true)
        return [.bytes(currentInput), expected.map { .string($0) } ?? .nil]
    }
    let session = try! host.makeSession(name: "fuzz")
    let setup = runBlocking { await session.execute(caseSource, chunkName: "=fuzz") }
    guard case .succeeded = setup.outcome else { fatalError("cannot define fuzz_case: \(setup.outcome)") }
    return session
}()

func fuzzLuaJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    currentInput = FuzzInput(data, size).all
    let execution = runBlocking { await session.execute("fuzz_case()", chunkName: "=fuzz") }
    guard case .succeeded = execution.outcome else {
        fatalError("property violated: \(execution.outcome)")
    }
    return 0
}
