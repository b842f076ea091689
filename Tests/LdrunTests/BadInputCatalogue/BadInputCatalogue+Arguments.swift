/// Wrong argument and option types, missing arguments and empty strings, for the exported functions.
extension BadInputCatalogue {
    /// A release of `dark-mode` on `fast-track`, made first so calls have a release to work on.
    private static let withRelease = "local rel = release.create{flag = 'dark-mode', pipeline = 'fast-track'}\n"

    static let arguments: [BadInputCase] = [
        .runbook(
            "release.get of an empty string", "release.get('')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (flag key must not be empty)"]),
        .runbook(
            "release.get of nothing", "release.get()\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (release or flag key expected, got no value)"]),
        .runbook(
            "release.get of a function", "release.get(print)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (release or flag key expected, got function)"]),
        .runbook(
            "release.get of a table without flag", "release.get{project = 'demo'}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (field 'flag' is required)"]),
        .runbook(
            "release.get with a numeric flag field", "release.get{flag = 5}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (field 'flag' must be a string, got number)"]),
        .runbook(
            "release.get with a numeric project field", "release.get{flag = 'dark-mode', project = 5}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.get' (field 'project' must be a string, got number)"]),
        .runbook(
            "release.create without a pipeline", "release.create('dark-mode')\n",
            stderr: ["bad.lua:1: bad argument #2 to 'release.create' (string expected, got no value)"]),
        .runbook(
            "release.create with a table pipeline", "release.create{flag = 'dark-mode', pipeline = {}}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.create' (field 'pipeline' must be a string, got table)"]),
        .runbook(
            "release.create with a boolean variation",
            "release.create{flag = 'dark-mode', pipeline = 'fast-track', variation = true}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.create' (field 'variation' must be a string, got boolean)"]
        ),
        .runbook(
            "release.create with a boolean project",
            "release.create{flag = 'dark-mode', pipeline = 'fast-track', project = false}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.create' (field 'project' must be a string, got boolean)"]),
        .runbook(
            "release.delete of nothing", "release.delete()\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.delete' (release or flag key expected, got no value)"]),
        .runbook(
            "release.patch in positional form", "release.patch('dark-mode')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.patch' (table expected, got string)"]),
        .runbook(
            "release.patch with empty ops", "release.patch{flag = 'dark-mode', ops = {}}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.patch' (field 'ops' must be a non-empty list"]),
        .runbook(
            "release.patch with an op that is a number", "release.patch{flag = 'dark-mode', ops = {{op = 1}}}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.patch' (ops[1] needs 'op' and 'path' strings)"]),
        .runbook(
            "release.status of a string", "release.status('dark-mode')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.status' (table expected, got string)"]),
        .runbook(
            "release.status of a table whose phases are a string", "release.status({phases = 'x'})\n",
            stderr: ["bad.lua:1: bad argument #1 to 'release.status' (not a release: Release.phases: expected an array"]
        ),
        .runbook(
            "phase.next of a number", "phase.next(3)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'phase.next' (table expected, got number)"]),
        .runbook(
            "phase.active of a string", "phase.active('x')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'phase.active' (table expected, got string)"]),
        .runbook(
            "phase.find with a numeric name", withRelease + "phase.find(rel, 3)\n",
            stderr: ["bad.lua:2: bad argument #2 to 'phase.find' (string expected, got number)"]),
        .runbook(
            "phase.state of a phase the release lacks", withRelease + "phase.state(rel, 'Nope')\n",
            stderr: ["bad.lua:2: bad argument #2 to 'phase.state' (the release has no phase 'Nope')"]),
        .runbook(
            "phase.start of nothing", "phase.start()\n",
            stderr: ["bad.lua:1: bad argument #1 to 'phase.start' (release or flag key expected, got no value)"]),
        .runbook(
            "phase.start of an empty flag", "phase.start('')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'phase.start' (flag key must not be empty)"]),
        .runbook(
            "phase.start with a numeric phase", withRelease + "phase.start(rel, 42)\n",
            stderr: ["bad.lua:2: bad argument #2 to 'phase.start' (phase name, id or table expected, got number)"]),
        .runbook(
            "phase.start with string options", withRelease + "phase.start(rel, 'Test', 'now')\n",
            stderr: ["bad.lua:2: bad argument #3 to 'phase.start' (table expected, got string)"]),
        .runbook(
            "phase.start with audiences that are a string",
            withRelease + "phase.start(rel, 'Test', {audiences = 'all'})\n",
            stderr: [
                "bad.lua:2: bad argument #3 to 'phase.start' ('audiences' must be a list of audience configurations)"
            ]),
        .runbook(
            "phase.start with a numeric audienceId",
            withRelease + "phase.start(rel, 'Test', {audiences = {{audienceId = 5}}})\n",
            stderr: ["bad.lua:2: bad argument #3 to 'phase.start' (audiences[1]:", "audienceId: expected a string"]),
        .runbook(
            "phase.wait with numeric options", "phase.wait('dark-mode', 'Test', 5)\n",
            stderr: ["bad.lua:1: bad argument #3 to 'phase.wait' (table expected, got number)"]),
        .runbook(
            "pipeline.list of a string", "pipeline.list('x')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'pipeline.list' (table expected, got string)"]),
        .runbook(
            "pipeline.list with a numeric query", "pipeline.list{query = 5}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'pipeline.list' (field 'query' must be a string, got number)"]),
        .runbook(
            "pipeline.get of an empty key", "pipeline.get('')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'pipeline.get' (pipeline key must not be empty)"]),
        .runbook(
            "pipeline.get of a number", "pipeline.get(3)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'pipeline.get' (string expected, got number)"]),
        .runbook(
            "pipeline.releases of an empty key", "pipeline.releases('')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'pipeline.releases' (pipeline key must not be empty)"]),
        .runbook(
            "pipeline.releases with an unknown status", "pipeline.releases('standard', {status = 'sleeping'})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'pipeline.releases' ('status' must be \"active\" or \"completed\")"]
        ),
        .runbook(
            "flag.get of an empty key", "flag.get('')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'flag.get' (flag key must not be empty)"]),
        .runbook(
            "flag.get of a table without key", "flag.get{}\n",
            stderr: ["bad.lua:1: bad argument #1 to 'flag.get' (field 'key' is required)"]),
        .runbook(
            "parallel of a number", "parallel(5, print)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'parallel' (table expected, got number)"]),
        .runbook(
            "parallel without a function", "parallel({1, 2})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'parallel' (function expected, got nil)"]),
        .runbook(
            "parallel with a limit of zero", "parallel({1}, function() end, {limit = 0})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'parallel' (limit must be a positive integer)"]),
        .runbook(
            "spawn of a number", "spawn(42)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'spawn' (function expected, got number)"]),
        .runbook(
            "task.wait called with a dot", "local t = spawn(function() end)\nt.wait()\n",
            stderr: ["bad.lua:2: bad argument #1 to 'ldrun.task:wait' (task expected, got no value)"]),
        .runbook(
            "wait_until of a number", "wait_until(42)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'wait_until' (function expected, got number)"]),
        .runbook(
            "wait_until with string options", "wait_until(function() return true end, 'fast')\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (table expected, got string)"]),
        .runbook(
            "log.info with string fields", "log.info('x', 'y')\n",
            stderr: ["bad.lua:1: bad argument #2 to 'log.info' (table expected, got string)"]),
        .runbook(
            "log.info with a function field", "log.info('x', {f = print})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'log.info' (cannot convert a function value at value.f)"]),
        .runbook(
            "log.error with a cyclic field", "local c = {}\nc.c = c\nlog.error('x', {f = c})\n",
            stderr: ["bad.lua:3: bad argument #2 to 'log.error' (table contains a cycle at value.f.c)"]),
        .runbook(
            "log.warn with no message logs nil", "log.warn()\nerror('after')\n",
            stderr: ["WARN  nil", "bad.lua:2: after"], excluding: ["function: 0x"]),
        .runbook(
            "confirm of a table", "confirm({})\n",
            stderr: ["bad.lua:1: bad argument #1 to 'confirm' (string expected, got table)"]),
        .runbook(
            "confirm without a terminal or --yes", "confirm('go?')\n",
            stderr: ["bad.lua:1: confirm(\"go?\") needs an answer: run on a terminal, or pass --yes"]),
        .runbook(
            "ldrun.error without arguments", "error(ldrun.error())\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.error' (string expected, got no value)"]),
        .runbook(
            "ldrun.error with string fields", "error(ldrun.error('c', 'm', 'x'))\n",
            stderr: ["bad.lua:1: bad argument #3 to 'ldrun.error' (table expected, got string)"]),
        .runbook(
            "os.exit of a string", "os.exit('x')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'os.exit' (boolean or integer expected, got string)"]),
    ]
}
