--- Takes one flag through its release pipeline, from wherever its release stands to the
--- end (or to a chosen phase).
---
--- ```lua
--- local promote = require "ldrun.promote"
--- promote.run{
---   flag = "new-checkout",
---   pipeline = "standard",          -- used only when the flag has no release yet
---   variation = true,               -- by `_id`, value or name
---   gate = "confirm",               -- ask before each production phase
---   timeouts = { Production = "8h" },
--- }
--- ```
---
--- Every step starts from the release as the server has it, so running the same call
--- again after an interruption (Ctrl-C, a lost CI runner, a timeout) continues where the
--- release is: a started phase is waited for, not started again; a complete release is
--- left alone.

local util = require "ldrun.util"
local resolve = require "ldrun.resolve"

local M = {}

--- Default time to wait for one phase to complete.
M.default_timeout = "30m"
--- Default interval between two reads of the release while waiting.
M.default_every = "5s"
--- How much the interval between reads grows after each one, up to a minute, when `every`
--- is not given: a long rollout is read often at first and about once a minute later.
M.default_backoff = 1.5

---@alias ldrun.Gate
---| "confirm"                                   # ask the operator (y/N; `--yes` answers yes)
---| fun(phase: table, release: table, flag: string): boolean?, string?  # true to go on; false and a reason to stop

---@class ldrun.AudienceOverrides
---@field guardian table? fields merged into each guarded audience's `releaseGuardianConfiguration` (`rolloutWeight`, `monitoringWindowMilliseconds`, `rollbackOnRegression`, `randomizationUnit`)
---@field notify_members string[]? member ids to notify for approvals, instead of the pipeline's
---@field notify_teams string[]? team keys to notify for approvals, instead of the pipeline's

---@class ldrun.PromoteOptions
---@field flag string the flag key
---@field project string? the project key; default: `--project` / `LD_PROJECT`
---@field pipeline string? pipeline key or name, used when the flag has no release yet; default: the project's default pipeline
---@field variation any? the release variation, by `_id`, value or name (only when the release is created)
---@field gate ldrun.Gate|false|nil what to do before a gated phase starts; default: no gate
---@field gate_phases (fun(phase: table): boolean)|string[]|nil which phases are gated: a predicate or a list of phase names/ids; default: phases that release to a production environment
---@field audiences table|fun(phase: table, release: table): table[]|nil per phase (keyed by name or id): an `ldrun.AudienceOverrides` or a raw list of `ReleaserAudienceConfigInput`; or a function returning the list
---@field timeout number|string|nil how long to wait for each phase; default `"30m"`
---@field timeouts table<string, number|string>? per-phase timeouts keyed by phase name or id
---@field every number|string|nil how often to read the release while waiting; default `"5s"`, growing by `backoff`
---@field backoff number|nil how much the interval grows after each read, up to a minute (1: fixed); default 1.5 without `every`, 1 with it
---@field until_phase string? stop once this phase (name or id) is rolled out
---@field on_event fun(event: string, info: ldrun.PromoteEvent)? called at each step (for progress displays and automation)
---@field quiet boolean? log less (only warnings and errors); used by `ldrun.bulk`

---@class ldrun.PromoteEvent
---@field flag string
---@field release table the release as last seen
---@field phase table? the phase concerned

---@class ldrun.PromoteResult
---@field flag string
---@field status string the release status at the end (`complete`, or `ready`/`in_progress` when `until_phase` stopped it early)
---@field created boolean whether this run created the release
---@field started string[] names of the phases this run started
---@field release table the release at the end

local function is_release(value)
  return type(value) == "table" and type(value.phases) == "table"
end

M.resolve_pipeline = resolve.pipeline
M.resolve_variation = resolve.variation
M.audience_config = resolve.audience_config

-- The audiences to send when phase `ph` starts, from the options.
local function audiences_for(opts, ph, rel)
  local spec = opts.audiences
  if type(spec) == "function" then
    return spec(ph, rel)
  end
  local per_phase = util.for_phase(spec, ph)
  if type(per_phase) == "table" and per_phase[1] ~= nil then
    return per_phase -- a raw list, sent as given
  end
  return resolve.audience_config(ph, per_phase)
end

-- Whether phase `ph` is gated.
local function is_gated(opts, ph)
  local which = opts.gate_phases
  if which == nil then
    return util.targets_production(ph)
  end
  if type(which) == "function" then
    return which(ph) and true or false
  end
  return M.phases_named(which)(ph)
end

--- Whether the phase is one of `names` (phase names, case-insensitive, or ids).
---@param names string[]
---@return fun(phase: table): boolean
function M.phases_named(names)
  return function(ph)
    for _, name in ipairs(names) do
      if name == util.phase_id(ph) or name:lower() == util.phase_name(ph):lower() then
        return true
      end
    end
    return false
  end
end

-- Runs the gate before phase `ph`; raises `gate_declined` when it says no. Returns
-- whether a gate ran (it may have taken a while, so the release read before is old).
local function run_gate(opts, ph, rel)
  local gate = opts.gate
  if not gate or not is_gated(opts, ph) then
    return false
  end
  local name = util.phase_name(ph)
  local environments = table.concat(util.environments(ph), ", ")
  if gate == "confirm" then
    local question = string.format("Start phase '%s' of %s (environments: %s)?", name, opts.flag, environments)
    if ldrun.dry_run then
      log.info("dry run: would ask: " .. question, { flag = opts.flag, phase = name })
      return true
    end
    if not confirm(question) then
      util.fail("gate_declined", string.format("the operator declined to start phase '%s'", name),
        { flag = opts.flag, phase = name })
    end
    return true
  end
  local ok, reason = gate(ph, rel, opts.flag)
  if not ok then
    util.fail("gate_declined", string.format("the gate refused phase '%s'%s", name,
      reason and (": " .. tostring(reason)) or ""), { flag = opts.flag, phase = name })
  end
  return true
end

local function timeout_for(opts, ph)
  return util.for_phase(opts.timeouts, ph) or opts.timeout or M.default_timeout
end

-- What host calls take to name the flag; without a project, the run's (`--project`) applies.
local function target(opts)
  return { flag = opts.flag, project = opts.project }
end

-- Reads the flag's release (nil when it has none).
local function read(opts)
  return release.get(target(opts))
end

-- The release after a host call that may return it (or something else).
local function release_after(opts, value)
  if is_release(value) then
    return value
  end
  return read(opts)
end

-- The release of the flag, created on the requested pipeline when there is none.
local function ensure_release(opts, emit)
  local rel = read(opts)
  if rel then
    if opts.pipeline and rel.releasePipelineKey ~= opts.pipeline
      and (rel.name or ""):lower() ~= opts.pipeline:lower() then
      util.fail("pipeline_mismatch", string.format(
        "the flag is already on pipeline '%s', not '%s'; finish or delete that release first",
        tostring(rel.releasePipelineKey), opts.pipeline), { flag = opts.flag })
    end
    return rel, false
  end
  local p = M.resolve_pipeline(opts.pipeline, opts.project)
  local variation = nil
  if opts.variation ~= nil then
    variation = M.resolve_variation(opts.flag, opts.variation, opts.project)
  end
  local created = release.create({ flag = opts.flag, pipeline = p.key, variation = variation, project = opts.project })
  rel = release_after(opts, created)
  if not rel then
    util.fail("not_found", "the release was created but cannot be read back", { flag = opts.flag })
  end
  emit("created", rel, nil)
  return rel, true
end

local function paused_error(opts, ph, cause)
  local name = ph and util.phase_name(ph) or "?"
  return util.new_error("paused", string.format("the guarded rollout of phase '%s' regressed", name), {
    flag = opts.flag,
    phase = name,
    cause = cause,
    hint = "look at the release in LaunchDarkly; once the phase is resumed or the flag removed from the "
      .. "pipeline, run this runbook again",
  })
end

-- Waits until `phase` is rolled out (`phase.state` says `rolled_out` or `complete`);
-- returns the release then.
local function wait_phase(opts, ph, emit, rel)
  local name = util.phase_name(ph)
  local timeout = timeout_for(opts, ph)
  if not opts.quiet then
    local why = util.requires_approval(ph) and " (needs an approval)" or ""
    log.info(string.format("%s: waiting for phase '%s'%s", opts.flag, name, why),
      { flag = opts.flag, phase = name, timeout = tostring(timeout) })
  end
  emit("waiting", rel, ph)
  local backoff = opts.backoff or (opts.every == nil and M.default_backoff or 1)
  local wait_opts = { timeout = timeout, every = opts.every or M.default_every, backoff = backoff }
  -- The release in hand names the phase in phase.wait's messages, which saves it a read;
  -- its polls read the release afresh either way.
  local ok, result = pcall(phase.wait, is_release(rel) and rel or target(opts), util.phase_id(ph), wait_opts)
  if ok then
    return release_after(opts, result)
  end
  local code = util.error_code(result)
  if code == "paused" then
    error(paused_error(opts, ph, result), 0)
  elseif code == "timeout" then
    local hint = util.requires_approval(ph)
        and "it needs an approval in LaunchDarkly: approve it there, then run this runbook again"
        or "run this runbook again to keep waiting"
    -- A timeout given in seconds reads as one ("120s"), as a duration string reads as written.
    local within = type(timeout) == "number" and (tostring(timeout) .. "s") or tostring(timeout)
    error(util.new_error("timeout", string.format("did not roll out within %s", within),
      { flag = opts.flag, phase = name, cause = result, hint = hint }), 0)
  end
  error(result, 0)
end

-- Starts `phase` (after its gate); returns the release then.
local function start_phase(opts, ph, emit, rel)
  local gated = run_gate(opts, ph, rel)
  local audiences = audiences_for(opts, ph, rel)
  local start_opts = {}
  if audiences and #audiences > 0 then
    start_opts.audiences = audiences
  end
  -- The release read in this step saves phase.start a read of its own (should it be stale,
  -- the server refuses a second start); after a gate, which may have waited, it reads again.
  local result = phase.start(gated and target(opts) or rel, util.phase_id(ph), start_opts)
  rel = release_after(opts, result)
  emit("started", rel, ph)
  return rel
end

local function check_options(opts)
  if type(opts) ~= "table" then
    util.bad_argument("bad argument #1 to 'promote.run' (options table expected, got " .. type(opts) .. ")", 3)
  end
  if type(opts.flag) ~= "string" or opts.flag == "" then
    util.bad_argument("bad option 'flag' to 'promote.run' (flag key expected, got " .. type(opts.flag) .. ")", 3)
  end
  local gate = opts.gate
  if gate ~= nil and gate ~= false and gate ~= "confirm" and type(gate) ~= "function" then
    util.bad_argument("bad option 'gate' to 'promote.run' (\"confirm\", a function or false expected, got "
      .. type(gate) .. ")", 3)
  end
  if opts.on_event ~= nil and type(opts.on_event) ~= "function" then
    util.bad_argument("bad option 'on_event' to 'promote.run' (function expected, got "
      .. type(opts.on_event) .. ")", 3)
  end
  -- Durations as phase.wait reads them, checked before anything is sent.
  local function check_duration(name, value)
    local ok, err = pcall(ldrun.duration, value)
    if not ok then
      local reason = tostring(type(err) == "table" and err.message or err):match("%((.*)%)$") or tostring(err)
      util.bad_argument("bad option '" .. name .. "' to 'promote.run' (" .. reason .. ")", 4)
    end
  end
  for _, key in ipairs({ "timeout", "every" }) do
    if opts[key] ~= nil then check_duration(key, opts[key]) end
  end
  if opts.backoff ~= nil and (type(opts.backoff) ~= "number" or opts.backoff < 1 or opts.backoff > 10) then
    util.bad_argument("bad option 'backoff' to 'promote.run' (a number from 1 to 10 expected, got "
      .. (type(opts.backoff) == "number" and tostring(opts.backoff) or type(opts.backoff)) .. ")", 3)
  end
  if opts.timeouts ~= nil then
    if type(opts.timeouts) ~= "table" then
      util.bad_argument("bad option 'timeouts' to 'promote.run' (table of durations by phase name expected, got "
        .. type(opts.timeouts) .. ")", 3)
    end
    for name, value in pairs(opts.timeouts) do check_duration("timeouts." .. tostring(name), value) end
  end
end

--- Takes `opts.flag` through its pipeline: creates the release if there is none, then
--- for each remaining phase runs the gate, starts the phase with its audience
--- configuration and waits for it to roll out.
---
--- Raises (with `flag` and `phase` in the error) `paused` when a guarded rollout
--- regressed, `timeout` when a phase takes longer than its timeout, `gate_declined` when
--- a gate says no, `canceled` when the release was canceled, `pipeline_mismatch` when the
--- flag is on another pipeline than `opts.pipeline`; host errors pass through unchanged.
---@param opts ldrun.PromoteOptions
---@return ldrun.PromoteResult
function M.run(opts)
  check_options(opts)
  local function emit(event, rel, phase)
    if opts.on_event then
      opts.on_event(event, { flag = opts.flag, release = rel, phase = phase })
    end
  end

  local rel, created = ensure_release(opts, emit)
  local result = { flag = opts.flag, created = created, started = {}, release = rel }

  local stop_at = nil
  if opts.until_phase then
    stop_at = phase.find(rel, opts.until_phase)
    if not stop_at then
      util.fail("not_found", string.format("the release has no phase '%s'", opts.until_phase), { flag = opts.flag })
    end
    stop_at = util.phase_id(stop_at)
  end

  if not created and not opts.quiet then
    local status = release.status(rel)
    if status ~= "complete" then
      log.info(string.format("%s: resuming release on '%s' (%s)", opts.flag, tostring(rel.releasePipelineKey), status),
        { flag = opts.flag })
    end
  end

  while true do
    local status = release.status(rel)
    if status == "complete" then
      break
    end
    if stop_at and M.done(rel, stop_at) then
      break
    end
    if status == "canceled" then
      util.fail("canceled", "the release was canceled", { flag = opts.flag })
    end
    local active = phase.active(rel)
    local active_state = active and phase.state(rel, active)
    if status == "paused" or active_state == "paused" then
      error(paused_error(opts, active), 0)
    end
    if active and active_state ~= "rolled_out" then
      rel = wait_phase(opts, active, emit, rel)
      emit("completed", rel, active)
    else
      local next_phase = phase.next(rel)
      if not next_phase then
        util.fail("invalid_state", "the release is " .. status .. " but has no phase left to start",
          { flag = opts.flag })
      end
      rel = start_phase(opts, next_phase, emit, rel)
      result.started[#result.started + 1] = util.phase_name(next_phase)
    end
  end

  result.release = rel
  result.status = release.status(rel)
  if not opts.quiet then
    log.info(string.format("%s: %s", opts.flag, result.status == "complete" and "release complete"
      or ("stopped after phase '" .. tostring(opts.until_phase) .. "'")), { flag = opts.flag })
  end
  emit("done", rel, nil)
  return result
end

--- Whether LaunchDarkly is done with a phase: `phase.state` says `rolled_out` or `complete`.
---@param rel table a release
---@param ph table|string a phase, or its name or id
---@return boolean
function M.done(rel, ph)
  local state = phase.state(rel, ph)
  return state == "rolled_out" or state == "complete"
end

--- The phases of a release that are not rolled out yet, in order.
---@param rel table a release
---@return table[] phases
function M.remaining(rel)
  local list = {}
  for _, p in ipairs(rel.phases or {}) do
    if not M.done(rel, p) then
      list[#list + 1] = p
    end
  end
  return list
end

M.targets_production = util.targets_production
M.requires_approval = util.requires_approval

return M
