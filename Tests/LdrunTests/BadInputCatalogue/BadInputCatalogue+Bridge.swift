/// Abuse of the Lua–Swift bridge: host metatables, many arguments, deep recursion, coroutines
/// around host calls, and error objects that are not strings.
extension BadInputCatalogue {
    static let bridge: [BadInputCase] = [
        .runbook(
            "getmetatable of json.null is its name, so __gc cannot be called",
            "local mt = getmetatable(json.null)\nassert(type(mt) == 'string', type(mt))\nerror('protected: ' .. mt)\n",
            stderr: ["bad.lua:3: protected: json.null"]),
        .runbook(
            "getmetatable of a task is its name, and setmetatable is refused",
            "local t = spawn(function() end)\nprint(getmetatable(t))\nsetmetatable(t, {})\n",
            stderr: ["bad.lua:3: bad argument #1 to 'setmetatable' (table expected, got ldrun.task)"]),
        .runbook(
            "an error's metatable cannot be replaced",
            "local ok, e = pcall(release.get, 5)\nsetmetatable(e, nil)\n",
            stderr: ["bad.lua:2: cannot change a protected metatable"]),
        .runbook(
            "rawget on a task", "local t = spawn(function() end)\nrawget(t, 'wait')\n",
            stderr: ["bad.lua:2: bad argument #1 to 'rawget' (table expected, got ldrun.task)"]),
        .runbook(
            "task:wait of another value", "local t = spawn(function() end)\nt.wait({})\n",
            stderr: ["bad.lua:2: bad argument #1 to 'ldrun.task:wait' (task expected, got table)"]),
        .runbook(
            "debug.getmetatable is gone", "debug.getmetatable(json.null).__newindex = nil\n",
            stderr: ["bad.lua:1: attempt to call a nil value (field 'getmetatable')"]),
        .runbook(
            "spawn with 100 arguments",
            """
            local a = {}
            for i = 1, 100 do a[i] = i end
            local t = spawn(function(...) return select('#', ...), select(100, ...) end, table.unpack(a))
            local n, last = t:wait()
            error(('got %d arguments, the last %d'):format(n, last))
            """,
            stderr: ["bad.lua:5: got 100 arguments, the last 100"]),
        .runbook(
            "10000 unpacked values into release.get", "release.get(table.unpack({}, 1, 10000))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (release or flag key expected, got nil)"]),
        .runbook(
            "10000 unpacked strings into log.info",
            "local a = {}\nfor i = 1, 10000 do a[i] = 'x' end\nlog.info(table.unpack(a))\n",
            stderr: ["bad.lua:3: bad argument #2 to 'log.info' (table expected, got string)"]),
        .runbook(
            "too many values to unpack", "log.info(table.unpack({}, 1, 1e7))\n",
            stderr: ["bad.lua:1: too many results to unpack"]),
        .runbook(
            "stack overflow in the main chunk", "local function f() return 1 + f() end\nf()\n",
            stderr: ["bad.lua:1: stack overflow"]),
        .runbook(
            "stack overflow in a spawned task",
            "local t = spawn(function()\n  local function f() return 1 + f() end\n  return f()\nend)\nt:wait()\n",
            stderr: ["bad.lua:2: stack overflow"]),
        .runbook(
            "host calls at every level of a deep pcall recursion",
            "local depth = 0\nlocal function f() depth = depth + 1 pcall(f) json.encode({depth}) end\nf()\nerror('survived')\n",
            stderr: ["bad.lua:4: survived"]),
        .runbook(
            "coroutine.wrap around release.get", "coroutine.wrap(function() release.get('dark-mode') end)()\n",
            stderr: ["bad.lua:1: 'release.get' must run in a runbook task, not inside a coroutine"]),
        .runbook(
            "coroutine.wrap around sleep", "coroutine.wrap(function()\n  sleep(0)\nend)()\n",
            stderr: ["bad.lua:2: 'sleep' must run in a runbook task"]),
        .runbook(
            "parallel inside coroutine.wrap",
            "coroutine.wrap(function()\n  parallel({1}, function() end)\nend)()\n",
            stderr: ["bad.lua:2: 'spawn' must run in a runbook task"], excluding: ["ldrun: ldrun/parallel.lua"]),
        .runbook(
            "task.done of a string",
            "local t = spawn(function() end)\nt.done('x')\n",
            stderr: ["bad.lua:2: bad argument #1 to 'ldrun.task:done' (task expected, got string)"]),
        .runbook(
            "coroutine.yield across a host callback",
            "local co = coroutine.wrap(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)\nco()\n",
            stderr: ["attempt to yield across a C-call boundary"]),
        .runbook(
            "release.get inside a table.sort comparator",
            "table.sort({'a', 'b'}, function(a, b) return release.get(a) ~= nil end)\n",
            stderr: ["bad.lua:1: 'release.get' must wait, which is not possible here"]),
        .runbook(
            "an error that is a table", "error({code = 'mine'})\n",
            stderr: ["ldrun: table: 0x"]),
        .runbook(
            "an error that is nil", "error(nil)\n",
            stderr: ["ldrun: nil"]),
        .runbook(
            "an error whose __tostring errors",
            "error(setmetatable({}, {__tostring = function() error('again') end}))\n",
            stderr: ["ldrun: (error object is a table value)"]),
        .runbook(
            "an error whose __tostring returns a table",
            "error(setmetatable({}, {__tostring = function() return {} end}))\n",
            stderr: ["ldrun: (error object is a table value)"]),
        .runbook(
            "an error whose __tostring waits",
            "error(setmetatable({}, {__tostring = function() sleep(1) return 'slept' end}))\n",
            stderr: ["ldrun: (error object is a table value)"], excluding: ["slept"]),
        .runbook(
            "a table error in a spawned task nobody waits for",
            "spawn(function() error({1, 2}) end)\nsleep(0)\n",
            stderr: ["spawned task #2 failed: table: 0x"]),
        .runbook(
            "log.warn of a value whose __tostring errors",
            "log.warn(setmetatable({}, {__tostring = function() error('boom') end}))\nerror('after')\n",
            stderr: ["WARN  (error object is a table value)", "bad.lua:2: after"]),
        .runbook(
            "ldrun.error located at a negative level", "error(ldrun.error('c', 'located nowhere', nil, -5))\n",
            stderr: ["ldrun: located nowhere"]),
        .runbook(
            "ldrun.error located past the stack", "error(ldrun.error('c', 'too far', nil, math.maxinteger))\n",
            stderr: ["ldrun: too far"]),
    ]
}
