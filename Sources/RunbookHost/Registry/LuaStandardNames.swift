/// The standard Lua 5.4 globals a runbook sees, within ldrun's sandbox (docs/lua-api.md,
/// "The sandbox"): `debug` keeps only inspection and tracebacks, `package` has no `loadlib`.
/// `ldrun check` reads it to tell a standard name from an unknown one; a test holds it to
/// what a session really defines.
package enum LuaStandardNames {
    /// Global functions and values.
    package static let globals: [String] = [
        "_G", "_VERSION", "arg", "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
        "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall",
    ]

    /// The standard tables and their fields.
    package static let tables: [String: [String]] = [
        "coroutine": ["close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield"],
        "debug": ["getinfo", "getlocal", "gethook", "getupvalue", "traceback", "upvalueid"],
        "io": [
            "close", "flush", "input", "lines", "open", "output", "popen", "read", "stderr", "stdin", "stdout",
            "tmpfile",
            "type", "write",
        ],
        "math": [
            "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
            "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
            "tointeger", "type", "ult",
            // Kept by Debian's build (LUA_COMPAT_MATHLIB).
            "atan2", "cosh", "frexp", "ldexp", "log10", "pow", "sinh", "tanh",
        ],
        "os": [
            "clock", "date", "difftime", "execute", "exit", "getenv", "remove", "rename", "setlocale", "time",
            "tmpname",
        ],
        "package": ["config", "cpath", "loaded", "path", "preload", "searchers", "searchpath"],
        "string": [
            "byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack", "packsize",
            "rep",
            "reverse", "sub", "unpack", "upper",
        ],
        "table": ["concat", "insert", "move", "pack", "remove", "sort", "unpack"],
        "utf8": ["char", "charpattern", "codepoint", "codes", "len", "offset"],
    ]
}
