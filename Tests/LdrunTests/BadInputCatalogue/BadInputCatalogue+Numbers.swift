/// Numbers and durations out of range: huge, infinite, NaN, negative, or strings that are no duration.
extension BadInputCatalogue {
    static let numbers: [BadInputCase] = [
        .runbook(
            "sleep of 1e16 seconds", "sleep(1e16)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (duration out of range"]),
        .runbook(
            "sleep of infinity", "\nsleep(math.huge)\n",
            stderr: ["bad.lua:2: bad argument #1 to 'sleep' (duration must be finite, got inf)"]),
        .runbook(
            "sleep of minus infinity", "sleep(-math.huge)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (duration must be finite, got -inf)"]),
        .runbook(
            "sleep of NaN", "sleep(0/0)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (duration must be a number, got nan)"]),
        .runbook(
            "sleep of a negative number", "sleep(-1)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (duration must be >= 0)"]),
        .runbook(
            "sleep of \"5 parsecs\"", "sleep('5 parsecs')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (invalid duration \"5 parsecs\""]),
        .runbook(
            "sleep of \"1e15h\"", "sleep('1e15h')\n",
            stderr: ["bad.lua:1: bad argument #1 to 'sleep' (invalid duration \"1e15h\""]),
        .runbook(
            "wait_until with an infinite timeout", "wait_until(function() return true end, {timeout = math.huge})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (timeout: duration must be finite, got inf)"]),
        .runbook(
            "wait_until with a NaN timeout", "wait_until(function() return false end, {timeout = 0/0})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (timeout: duration must be a number, got nan)"]),
        .runbook(
            "wait_until with a negative every", "wait_until(function() return false end, {every = -1})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (every: duration must be >= 0)"]),
        .runbook(
            "wait_until with every \"often\"", "wait_until(function() return false end, {every = 'often'})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (every: invalid duration \"often\""]),
        .runbook(
            "wait_until with max_every of 1e300", "wait_until(function() return false end, {max_every = 1e300})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (max_every: duration out of range"]),
        .runbook(
            "wait_until with a negative backoff",
            "wait_until(function() return false end, {every = 0, backoff = -2})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (backoff: a positive finite number expected, got -2)"]),
        .runbook(
            "wait_until with a NaN backoff", "wait_until(function() return false end, {every = 0, backoff = 0/0})\n",
            stderr: ["bad.lua:1: bad argument #2 to 'wait_until' (backoff: a positive finite number expected"]),
        .runbook(
            "wait_until with a string backoff", "wait_until(function() return false end, {backoff = 'double'})\n",
            stderr: [
                "bad.lua:1: bad argument #2 to 'wait_until' (backoff: a positive finite number expected, got double)"
            ]),
        .runbook(
            "phase.wait with an infinite timeout", "phase.wait('dark-mode', 'Test', {timeout = 1/0})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'phase.wait' ('timeout': duration must be finite, got inf)"]),
        .runbook(
            "phase.wait with a NaN every", "phase.wait('dark-mode', 'Test', {every = 0/0})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'phase.wait' ('every': duration must be a number, got nan)"]),
        .runbook(
            "phase.wait with timeout \"1e15h\"", "phase.wait('dark-mode', 'Test', {timeout = '1e15h'})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'phase.wait' ('timeout' is not a duration: \"1e15h\")"]),
        .runbook(
            "phase.wait with an unknown until", "phase.wait('dark-mode', 'Test', {['until'] = 'forever'})\n",
            stderr: [
                "bad.lua:1: bad argument #3 to 'phase.wait' (until: expected 'rolled_out' or 'complete', got 'forever')"
            ]),
        .runbook(
            "ldrun.duration of 1e300", "print(ldrun.duration(1e300))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (duration out of range"]),
        .runbook(
            "ldrun.duration of math.maxinteger", "print(ldrun.duration(math.maxinteger))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (duration out of range"]),
        .runbook(
            "ldrun.duration of math.mininteger", "print(ldrun.duration(math.mininteger))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (duration must be >= 0)"]),
        .runbook(
            "ldrun.duration of \"-5s\"", "print(ldrun.duration('-5s'))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (invalid duration \"-5s\""]),
        .runbook(
            "ldrun.duration of \"5d\"", "print(ldrun.duration('5d'))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (invalid duration \"5d\""]),
        .runbook(
            "ldrun.duration of an empty string", "print(ldrun.duration(''))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (invalid duration \"\""]),
        .runbook(
            "ldrun.duration of a boolean", "print(ldrun.duration(true))\n",
            stderr: ["bad.lua:1: bad argument #1 to 'ldrun.duration' (duration expected, got boolean)"]),
        .runbook(
            "parallel with a NaN limit", "parallel({1}, function() end, {limit = 0/0})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'parallel' (limit must be a positive integer)"]),
        .runbook(
            "parallel with a limit of 1e300", "parallel({1}, function() end, {limit = 1e300})\n",
            stderr: ["bad.lua:1: bad argument #3 to 'parallel' (limit must be a positive integer)"]),
        .runbook(
            "os.exit of 1e300", "os.exit(1e300)\n",
            stderr: ["bad.lua:1: bad argument #1 to 'os.exit' (number has no integer representation)"]),
    ]
}
