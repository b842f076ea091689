/// Memory bombs under a memory limit, and the sandbox: no bytecode, no C modules, no hooks,
/// `os.exit` keeping the journal whole.
extension BadInputCatalogue {
    private static let limited = ["--memory-limit", "64MiB"]

    static let memoryAndSandbox: [BadInputCase] = [
        .runbook(
            "a runaway table under --memory-limit 64MiB", "local t = {}\nfor i = 1, 1e9 do t[i] = {i} end\n",
            stderr: ["not enough memory"], options: limited),
        .runbook(
            "string.rep of 1e9 bytes under --memory-limit 64MiB", "local s = string.rep('x', 1e9)\n",
            stderr: ["not enough memory"], options: limited),
        .runbook(
            "string.rep of 1e12 bytes is too large a string", "local s = string.rep('x', 1e12)\n",
            stderr: ["bad.lua:1: resulting string too large"], options: limited),
        .runbook(
            "string.rep of math.maxinteger bytes", "local s = string.rep('x', math.maxinteger)\n",
            stderr: ["bad.lua:1: resulting string too large"], options: limited),
        .runbook(
            "doubling a string until memory runs out", "local s = 'x'\nwhile true do s = s .. s end\n",
            stderr: ["not enough memory"], options: limited),
        .runbook(
            "a memory bomb in a spawned task",
            "local t = spawn(function() local t = {} for i = 1, 1e9 do t[i] = {} end end)\nt:wait()\n",
            stderr: ["not enough memory"], options: limited),
        .runbook(
            "load of bytecode from string.dump", "local f, e = load(string.dump(function() end))\nassert(f, e)\n",
            stderr: ["bad.lua:2: attempt to load a binary chunk (mode is 't')"]),
        .runbook(
            "load of bytecode with mode b", "local f, e = load(string.dump(function() end), 'x', 'b')\nassert(f, e)\n",
            stderr: ["bad.lua:2: attempt to load a binary chunk (mode is 't')"]),
        .runbook(
            "package.loadlib is gone", "package.loadlib('libc.so.6', 'puts')\n",
            stderr: ["bad.lua:1: attempt to call a nil value (field 'loadlib')"]),
        .runbook(
            "require of a C module name", "require 'socket.core'\n",
            stderr: ["bad.lua:1: module 'socket.core' not found:"]),
        .runbook(
            "require of lfs with a cpath set",
            "package.cpath = '/usr/lib/x86_64-linux-gnu/lua/5.4/?.so'\nrequire 'lfs'\n",
            stderr: ["bad.lua:2: module 'lfs' not found:"]),
        .runbook(
            "debug.sethook is gone", "debug.sethook(function() end, 'l')\n",
            stderr: ["bad.lua:1: attempt to call a nil value (field 'sethook')"]),
        .runbook(
            "debug.getregistry is gone", "debug.getregistry()\n",
            stderr: ["bad.lua:1: attempt to call a nil value (field 'getregistry')"]),
        .runbook(
            "a module that does not compile", "require 'broken'\n",
            stderr: ["bad.lua:1: error loading module from ./broken.lua: ./broken.lua:2:"],
            excluding: ["ldrun: ldrun/modules"],
            files: ["broken.lua": "return {\n"]),
        BadInputCase(
            name: "os.exit(3) after a write keeps the journal whole",
            files: [
                "bad.lua": "release.create{flag = 'dark-mode', pipeline = 'fast-track'}\nos.exit(3)\nprint('after')\n"
            ],
            arguments: ["run", "--simulate", "--journal", "journal.jsonl", "bad.lua"],
            environment: ["LD_ACCESS_TOKEN": BadInputCase.token], status: 3, stderr: ["os.exit(3)"]),
        .runbook(
            "os.exit inside pcall in a spawned task", "spawn(function() pcall(os.exit, 4) end)\nsleep(0)\nsleep(1)\n",
            status: 4, stderr: ["os.exit(4)"]),
    ]
}
