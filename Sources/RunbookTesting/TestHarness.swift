import Foundation

/// The Lua side of `ldrun test`: `test(...)`, the `t` object and its expectations. It runs
/// as the first chunk of each test's session; it loads the test file (which registers its
/// tests), then lists them (``Mode/list``) or runs one (``Mode/run(_:)``) and returns what
/// happened as a table the runner reads as JSON.
///
/// The Swift side (``TestCaseContext``) provides the functions under `ldrun_test`: the
/// scenario, runs of runbook files, the request log, the releases' states.
enum TestHarness {
    enum Mode {
        case list
        case run(Int)
    }

    /// The chunk name errors and tracebacks show for the harness.
    static let chunkName = "=ldrun test"

    /// The harness chunk for `file` in `mode`.
    static func source(file: String, mode: Mode) -> String {
        let index: Int
        switch mode {
        case .list: index = 0
        case .run(let number): index = number
        }
        return "local FILE, INDEX = \(luaQuoted(file)), \(index)\n" + body
    }

    /// `text` as a Lua string literal.
    static func luaQuoted(_ text: String) -> String {
        var quoted = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): quoted += "\\\""
            case UInt8(ascii: "\\"): quoted += "\\\\"
            case 0x20..<0x7F: quoted.unicodeScalars.append(Unicode.Scalar(byte))
            default: quoted += "\\" + String(format: "%03d", byte)
            }
        }
        return quoted + "\""
    }

    private static let body = #"""
        local T = ldrun_test
        ldrun_test = nil
        local pretty = ldrun.pretty
        local HARNESS = "=ldrun test"
        local EXPECTATION, SKIP = {}, {}

        local function show(value)
          if type(value) == "string" then return (string.format("%q", value):gsub("\\\n", "\\n")) end
          return pretty(value, {depth = 4, width = 100})
        end

        -- The first line of the caller outside the harness: where a test, or an expectation, is.
        local function where()
          for level = 2, 60 do
            local info = debug.getinfo(level, "Sl")
            if not info then break end
            if info.what ~= "C" and info.source ~= HARNESS and (info.currentline or 0) > 0 then
              local source = info.source:sub(1, 1) == "@" and info.source:sub(2) or info.short_src
              return source .. ":" .. info.currentline
            end
          end
          return FILE
        end

        local function fail(message, fields)
          local failure = {message = message, where = where()}
          for key, value in pairs(fields or {}) do failure[key] = value end
          error(setmetatable(failure, EXPECTATION), 0)
        end

        local function copy(value)
          local result = {}
          for key, item in pairs(value) do result[key] = item end
          return result
        end

        -- Deep equality: tables with the same keys and deeply equal values (1 and 1.0 are equal).
        local function same(a, b, seen)
          if a == b then return true end
          if type(a) ~= "table" or type(b) ~= "table" then return false end
          seen = seen or {}
          if seen[a] == b then return true end
          seen[a] = b
          for key, value in pairs(a) do
            if not same(value, b[key], seen) then return false end
          end
          for key in pairs(b) do
            if a[key] == nil then return false end
          end
          return true
        end

        local cases = {}

        local function register(kind, name, scenario, fn)
          if type(name) ~= "string" then
            error(string.format("bad argument #1 to '%s' (test name expected, got %s)", kind, type(name)), 3)
          end
          if fn == nil and type(scenario) == "function" then scenario, fn = nil, scenario end
          if scenario ~= nil and type(scenario) ~= "table" then
            error(string.format("bad argument #2 to '%s' (scenario table or function expected, got %s)", kind,
              type(scenario)), 3)
          end
          if type(fn) ~= "function" then
            error(string.format("bad argument #%d to '%s' (function expected, got %s)", scenario and 3 or 2, kind,
              type(fn)), 3)
          end
          local line = where()
          local dialects = {false}
          if scenario and scenario.dialect == "both" then dialects = {"observed", "spec"} end
          for _, dialect in ipairs(dialects) do
            local case = {name = name, scenario = scenario, fn = fn, skip = kind == "test.skip", where = line}
            if dialect then
              case.scenario = copy(scenario)
              case.scenario.dialect = dialect
              case.name = name .. " [" .. dialect .. "]"
            end
            cases[#cases + 1] = case
          end
        end

        test = setmetatable({
          skip = function(name, scenario, fn) register("test.skip", name, scenario, fn) end,
        }, {
          __call = function(_, name, scenario, fn) register("test", name, scenario, fn) end,
        })

        local chunk, problem = loadfile(FILE)
        if not chunk then return {status = "error", message = problem} end
        chunk()

        if INDEX == 0 then
          local list = {}
          for number, case in ipairs(cases) do
            local project = case.scenario and case.scenario.project
            list[number] = {name = case.name, where = case.where, skip = case.skip,
              project = type(project) == "string" and project or nil}
          end
          return {status = "listed", cases = list}
        end

        local case = cases[INDEX]
        if not case then return {status = "error", message = FILE .. ": the test file registered other tests this time"} end
        if case.skip then return {status = "skipped"} end

        local t = {}

        local function scenario(value)
          if type(value) ~= "table" then
            error("bad argument #1 to 't.scenario' (table expected, got " .. type(value) .. ")", 3)
          end
          local given = copy(value)
          if type(given.seed) == "table" then given.seed = json.encode(given.seed) ; given.inline_seed = true end
          local arguments, environment = T.scenario(given)
          args = arguments
          os.getenv = function(name)
            if type(name) ~= "string" then
              error("bad argument #1 to 'getenv' (string expected, got " .. type(name) .. ")", 2)
            end
            return environment[name]
          end
        end
        function t.scenario(value) scenario(value) end

        local function decoded(text)
          if type(text) ~= "string" then return text end
          local ok, value = pcall(json.decode, text)
          if ok then return value end
          return text
        end

        function t.run(path, arguments, options)
          if type(path) ~= "string" then
            error("bad argument #1 to 't.run' (runbook path expected, got " .. type(path) .. ")", 2)
          end
          if arguments ~= nil and type(arguments) ~= "table" then
            error("bad argument #2 to 't.run' (table of args expected, got " .. type(arguments) .. ")", 2)
          end
          if options ~= nil and type(options) ~= "table" then
            error("bad argument #3 to 't.run' (table of options expected, got " .. type(options) .. ")", 2)
          end
          local function plain(value, argument, what)
            for key, item in pairs(value or {}) do
              local kind = type(item)
              if kind ~= "string" and kind ~= "number" and kind ~= "boolean" then
                error(string.format("bad argument #%d to 't.run' (%s: values must be strings, numbers or booleans "
                  .. "(%s is a %s))", argument, what, tostring(key), kind), 3)
              end
            end
          end
          plain(arguments, 2, "args")
          plain(options and options.env, 3, "env")
          local run = T.run(path, arguments or {}, options or {})
          run.value = decoded(run.value)
          for number, record in ipairs(run.journal) do run.journal[number] = decoded(record) end
          return run
        end

        function t.requests(filter)
          local list = T.requests(filter or {})
          for _, record in ipairs(list) do record.body = decoded(record.body) end
          return list
        end

        function t.started_phases(flag) return T.started_phases(flag) end
        function t.release(flag) return decoded(T.release(flag)) end
        function t.approve(flag, phase) return T.approve(flag, phase) end
        function t.regress(flag, phase) return T.regress(flag, phase) end
        function t.complete(flag, phase) return T.complete(flag, phase) end
        function t.questions() return T.questions() end
        function t.elapsed() return T.elapsed() end
        function t.journal()
          local list = T.journal()
          for number, record in ipairs(list) do list[number] = decoded(record) end
          return list
        end
        function t.fail(message) fail(message and tostring(message) or "failed") end
        function t.skip(reason) error(setmetatable({reason = reason}, SKIP), 0) end

        function t.expect_error(fn, ...)
          if type(fn) ~= "function" then
            error("bad argument #1 to 't.expect_error' (function expected, got " .. type(fn) .. ")", 2)
          end
          local ok, err = pcall(fn, ...)
          if ok then fail("expected an error, but the function returned") end
          return err
        end

        function t.expect(actual)
          local expect = {}
          local function check(ok, message, expected)
            if not ok then fail(message, {expected = expected, actual = show(actual)}) end
            return expect
          end
          function expect.equals(expected)
            return check(same(actual, expected), "expected " .. show(expected) .. ", got " .. show(actual),
              show(expected))
          end
          function expect.is_true() return check(actual == true, "expected true, got " .. show(actual), "true") end
          function expect.is_false() return check(actual == false, "expected false, got " .. show(actual), "false") end
          function expect.is_nil() return check(actual == nil, "expected nil, got " .. show(actual), "nil") end
          function expect.exists() return check(actual ~= nil, "expected a value, got nil", "a value") end
          function expect.matches(pattern)
            return check(type(actual) == "string" and actual:find(pattern) ~= nil,
              "expected a string matching " .. show(pattern) .. ", got " .. show(actual), "matching " .. show(pattern))
          end
          function expect.contains(item)
            local found = false
            if type(actual) == "string" and type(item) == "string" then
              found = actual:find(item, 1, true) ~= nil
            elseif type(actual) == "table" then
              for _, value in pairs(actual) do
                if same(value, item) then found = true break end
              end
            end
            return check(found, "expected " .. show(actual) .. " to contain " .. show(item), "containing " .. show(item))
          end
          function expect.has_length(count)
            local length = (type(actual) == "string" or type(actual) == "table") and #actual or nil
            return check(length == count, "expected length " .. tostring(count) .. ", got " ..
              (length and tostring(length) or type(actual)) .. ": " .. show(actual), "length " .. tostring(count))
          end
          function expect.at_least(bound)
            return check(type(actual) == "number" and actual >= bound,
              "expected at least " .. show(bound) .. ", got " .. show(actual), "at least " .. show(bound))
          end
          function expect.at_most(bound)
            return check(type(actual) == "number" and actual <= bound,
              "expected at most " .. show(bound) .. ", got " .. show(actual), "at most " .. show(bound))
          end
          return expect
        end

        local function handler(err)
          return {err = err, traceback = debug.traceback("", 2)}
        end

        local ok, caught = xpcall(function()
          if case.scenario then scenario(case.scenario) end
          local test = case.fn
          test(t)
        end, handler)
        if ok then return {status = "passed"} end
        local err = caught.err
        if getmetatable(err) == SKIP then return {status = "skipped", message = err.reason} end
        if getmetatable(err) == EXPECTATION then
          return {status = "failed", message = err.message, where = err.where, expected = err.expected,
            actual = err.actual}
        end
        local message
        if type(err) == "table" and err.message ~= nil then
          message = (err.code and (tostring(err.code) .. ": ") or "") .. tostring(err.message)
        elseif type(err) == "string" then
          message = err
        else
          message = show(err)
        end
        local location
        for line in caught.traceback:gmatch("[^\n]+") do
          local found = line:match("^%s*(.-:%d+):")
          if found and found:find(FILE, 1, true) then location = found break end
        end
        return {status = "failed", message = message, where = location, traceback = caught.traceback}
        """#
}
