/// JSON in and out: text that is not JSON, bytes that are not UTF-8, depth, huge numbers, and
/// values JSON cannot hold.
extension BadInputCatalogue {
    static let json: [BadInputCase] = [
        .runbook(
            "json.decode of invalid JSON", "json.decode('{nope')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 1"]),
        .runbook(
            "json.decode of invalid UTF-8", "json.decode('\"\\xff\"')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 1: invalid UTF-8 in string"]),
        .runbook(
            "json.decode of 100000 nested arrays",
            "json.decode(string.rep('[', 100000) .. string.rep(']', 100000))\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 512: nesting deeper than 512 levels"]),
        .runbook(
            "json.decode of 1e400", "json.decode('1e400')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 0: number out of range"]),
        .runbook(
            "json.decode of an empty string", "json.decode('')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 0: unexpected end of input"]),
        .runbook(
            "json.decode with data after the value", "json.decode('[1] x')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 4: unexpected data after the JSON value"]),
        .runbook(
            "json.decode of a NUL in a string", "json.decode('\"a\\0b\"')\n",
            stderr: ["bad.lua:1: json.decode: invalid JSON at byte 2: unescaped control character in string"]),
        .runbook(
            "json.decode of a number", "json.decode(5)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'json.decode' (string expected, got number)"]),
        .runbook(
            "json.encode of a cycle", "local t = {}\nt.t = t\njson.encode(t)\n",
            stderr: ["bad.lua:3: bad argument #1 to 'json.encode' (table contains a cycle at value.t)"]),
        .runbook(
            "json.encode of a function value", "json.encode({f = print})\n",
            stderr: ["bad.lua:1: bad argument #1 to 'json.encode' (cannot convert a function value at value.f)"]),
        .runbook(
            "json.encode of a coroutine", "json.encode(coroutine.create(print))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'json.encode' (cannot convert a thread value at value)"]),
        .runbook(
            "json.encode of userdata", "json.encode({out = io.stdout})\n",
            stderr: ["bad.lua:1: bad argument #1 to 'json.encode' (cannot convert a userdata value at value.out)"]),
        .runbook(
            "json.encode of a boolean key", "json.encode({[true] = 1})\n",
            stderr: ["bad.lua:1: value has the key true; a JSON object needs string keys"]),
        .runbook(
            "json.encode of a table with holes", "json.encode({list = {[1] = 1, [3] = 3}})\n",
            stderr: ["bad.lua:1: value.list has the key", "a JSON object needs string keys"]),
        .runbook(
            "json.encode of NaN", "json.encode({x = 0/0})\n",
            stderr: ["bad.lua:1: value.x is", "nan, which JSON cannot represent"]),
        .runbook(
            "json.encode of infinity", "json.encode({x = math.huge})\n",
            stderr: ["bad.lua:1: value.x is inf, which JSON cannot represent"]),
        .runbook(
            "json.encode of invalid UTF-8", "json.encode('\\xff\\xfe')\n",
            stderr: ["bad.lua:1: value is a string that is not valid UTF-8"]),
        .runbook(
            "json.encode of 100000 nested tables", "local t = {}\nfor i = 1, 100000 do t = {t} end\njson.encode(t)\n",
            stderr: ["bad.lua:3: bad argument #1 to 'json.encode' (table nested deeper than 64 levels"]),
        .runbook(
            "json.encode with string options", "json.encode({}, 'pretty')\n",
            stderr: ["bad.lua:1: bad argument #2 to 'json.encode' (table expected, got string)"]),
        .runbook(
            "json.array of a table with other keys", "json.array({x = 1})\n",
            stderr: ["bad.lua:1: bad argument #1 to 'json.array' (table with keys 1..n expected)"]),
        .runbook(
            "writing to json.null", "json.null.x = 1\n",
            stderr: ["bad.lua:1: json.null is read-only"]),
        .runbook(
            "--output json of a function", "return {f = print}\n",
            stderr: ["--output json: the returned value cannot be JSON"], options: ["--output", "json"]),
    ]
}
