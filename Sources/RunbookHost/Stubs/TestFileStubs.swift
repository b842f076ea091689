/// The LuaLS definitions of what `ldrun test` gives a test file (`ldrun-test.lua`, which
/// `ldrun stubs` writes beside `ldrun.lua`): `test`, `test.skip`, the `t` of a test and its
/// expectations. docs/testing-runbooks.md describes them.
enum TestFileStubs {
    static let text = """
        ---@meta
        -- What `ldrun test` gives a test file (*_test.lua), written by `ldrun stubs`.
        -- See docs/testing-runbooks.md.

        ---@class ldrun.TestScenario
        ---@field dialect? "observed"|"spec"|"both" The API dialect ("both": once in each; only in test()).
        ---@field seed? string|table A seed file (relative to the test file) or an inline seed.
        ---@field project? string The project runbooks work on (only in test()).
        ---@field phase_duration? number|string How long a started phase runs (default 60s).
        ---@field releases? table<string, {pipeline?: string, completed?: string|boolean, started?: string, approved?: boolean}> Releases already part-way through.
        ---@field approvals? table Approvals that arrive after a while: {flag=, phase=, after=} or a list.
        ---@field regress? table Guarded phases that regress after a while: {flag=, phase=, after=} or a list.
        ---@field complete? table Phases that complete by themselves after a while.
        ---@field faults? string|string[] The simulator's fault specs.
        ---@field random_seed? integer The seed of the random draws of p= faults.
        ---@field answers? {confirm: boolean[]} The answers confirm gives, in order.
        ---@field yes? boolean confirm answers every question yes.
        ---@field args? table<string|integer, string|number|boolean> The args of the session and of t.run.
        ---@field env? table<string, string> The only environment variables os.getenv sees.

        ---@class ldrun.TestRun
        ---@field status integer The exit status.
        ---@field error? table The error the runbook raised (code, message, traceback, ...).
        ---@field value any The first value the runbook returned.
        ---@field journal table[] The journal records of its writes.
        ---@field output string What it printed.

        ---@class ldrun.Expectation
        ---@field equals fun(expected: any): ldrun.Expectation Equal (tables compared deeply).
        ---@field is_true fun(): ldrun.Expectation
        ---@field is_false fun(): ldrun.Expectation
        ---@field is_nil fun(): ldrun.Expectation
        ---@field exists fun(): ldrun.Expectation Not nil.
        ---@field matches fun(pattern: string): ldrun.Expectation A string matching a Lua pattern.
        ---@field contains fun(item: any): ldrun.Expectation A substring, or a deeply equal element.
        ---@field has_length fun(count: integer): ldrun.Expectation
        ---@field at_least fun(bound: number): ldrun.Expectation
        ---@field at_most fun(bound: number): ldrun.Expectation

        ---@class ldrun.Test
        ---@field scenario fun(scenario: ldrun.TestScenario) The test's world; before its first API call.
        ---@field run fun(path: string, args?: table, options?: {env?: table<string, string>}): ldrun.TestRun Runs a runbook as `ldrun run` does.
        ---@field expect fun(value: any): ldrun.Expectation
        ---@field expect_error fun(fn: function, ...: any): any The error fn raised; fails if it returned.
        ---@field requests fun(filter?: {method?: string, route?: string, flag?: string, status?: integer, path?: string}): table[] The simulator's request log.
        ---@field started_phases fun(flag: string): string[] The phases whose start the server accepted, in order.
        ---@field release fun(flag: string): table? The release as the server answers it now.
        ---@field approve fun(flag: string, phase?: string|table)
        ---@field regress fun(flag: string, phase?: string|table)
        ---@field complete fun(flag: string, phase?: string|table)
        ---@field questions fun(): string[] The questions confirm was asked.
        ---@field journal fun(): table[] The journal records of the test's own writes.
        ---@field elapsed fun(): number Virtual seconds since the test started.
        ---@field fail fun(message?: string)
        ---@field skip fun(reason?: string)

        ---Registers a test: `test(name, fn)` or `test(name, scenario, fn)`.
        ---@class ldrun.TestRegistry
        ---@overload fun(name: string, scenario: ldrun.TestScenario|fun(t: ldrun.Test), fn?: fun(t: ldrun.Test))
        test = {}

        ---Registers a test reported as skipped.
        ---@param name string
        ---@param scenario ldrun.TestScenario|fun(t: ldrun.Test)
        ---@param fn? fun(t: ldrun.Test)
        function test.skip(name, scenario, fn) end

        """
}
