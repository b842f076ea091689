--- Promotes many flags at once with bounded concurrency: a list of flags, or every flag
--- whose release stands in one phase of a pipeline. Each flag goes through
--- `ldrun.promote`, so a bulk run is as resumable as a single one: run it again and the
--- flags that finished are left alone while the others continue.
---
--- ```lua
--- local bulk = require "ldrun.bulk"
--- local report = bulk.run{ pipeline = "standard", phase = "Testing", limit = 10 }
--- print(bulk.format(report))
--- bulk.check(report)   -- fail the run (exit 1) if any flag did not finish
--- ```

local util = require "ldrun.util"
local promote = require "ldrun.promote"

local M = {}

--- How many flags are promoted at the same time unless `limit` says otherwise.
M.default_limit = 8

---@class ldrun.BulkOptions
---@field flags string[]? the flags to promote
---@field pipeline string? with `phase`: take every flag whose release is in that phase of this pipeline (key)
---@field phase string? a phase name or id of `pipeline`
---@field project string? the project key; default: `--project` / `LD_PROJECT`
---@field limit integer? how many flags move at the same time; default 8
---@field promote ldrun.PromoteOptions? options given to `promote.run` for every flag (`flag` is filled in)
---@field on_outcome fun(outcome: ldrun.BulkOutcome, report: ldrun.BulkReport)? called as each flag finishes
---@field quiet boolean? no progress lines

---@class ldrun.BulkOutcome
---@field flag string
---@field outcome "done"|"paused"|"failed"|"pending" how the flag ended (`pending`: never started because the run was interrupted)
---@field status string? the release status at the end, when known
---@field code string? the error code, when it did not finish
---@field reason string? why it did not finish
---@field phase string? the phase where it stopped, when known
---@field started string[]? phases this run started for the flag
---@field until_phase string? for a flag that is done but not complete: the phase it was promoted up to

---@class ldrun.BulkReport
---@field outcomes ldrun.BulkOutcome[] one per flag, in the order of the flags
---@field counts table<string, integer> `done`, `paused`, `failed`, `pending`
---@field total integer

--- The flags whose release currently stands in `phase_ref` (name or id) of `pipeline_key`,
--- read through the pipeline's release progressions.
---@param pipeline_key string
---@param phase_ref string
---@param project string?
---@return string[] flags
function M.flags_in_phase(pipeline_key, phase_ref, project)
  local p = pipeline.get({ key = pipeline_key, project = project })
  local phase_id = nil
  local names = {}
  for _, ph in ipairs(p.phases or {}) do
    if ph.id == phase_ref or ph._id == phase_ref or (ph.name or ""):lower() == phase_ref:lower() then
      phase_id = ph.id or ph._id
    end
    names[#names + 1] = ph.name
  end
  if not phase_id then
    util.fail("not_found", string.format("pipeline '%s' has no phase '%s' (phases: %s)", pipeline_key, phase_ref,
      table.concat(names, ", ")))
  end
  local answer = pipeline.releases({ key = pipeline_key, project = project, status = "active", phase = phase_id })
  local flags = {}
  for _, item in ipairs(util.items(answer)) do
    -- Filtered again here: a completed release has no active phase.
    if item.activePhaseId == phase_id and not util.present(item._completedAt) then
      flags[#flags + 1] = item.flagKey
    end
  end
  return flags
end

local function check_options(opts)
  if type(opts) ~= "table" then
    util.bad_argument("bad argument #1 to 'bulk.run' (options table expected, got " .. type(opts) .. ")", 3)
  end
  if opts.flags == nil and not (opts.pipeline and opts.phase) then
    util.bad_argument("bad argument #1 to 'bulk.run' (give 'flags', or 'pipeline' and 'phase')", 3)
  end
  if opts.flags ~= nil and type(opts.flags) ~= "table" then
    util.bad_argument("bad option 'flags' to 'bulk.run' (list of flag keys expected, got "
      .. type(opts.flags) .. ")", 3)
  end
  if opts.limit ~= nil and (math.type(opts.limit) ~= "integer" or opts.limit < 1) then
    util.bad_argument("bad option 'limit' to 'bulk.run' (positive integer expected, got "
      .. tostring(opts.limit) .. ")", 3)
  end
end

-- Removes duplicates and anything that is not a non-empty string, keeping the order.
local function unique_flags(list)
  local seen, flags = {}, {}
  for i, key in ipairs(list) do
    if type(key) ~= "string" or key == "" then
      util.bad_argument(string.format("bad option 'flags' to 'bulk.run' (flag key expected at [%d], got %s)",
        i, type(key)), 3)
    end
    if not seen[key] then
      seen[key] = true
      flags[#flags + 1] = key
    end
  end
  return flags
end

-- The options for one flag's promotion.
local function promote_options(opts, key)
  local one = {}
  for k, v in pairs(opts.promote or {}) do
    one[k] = v
  end
  one.flag = key
  one.project = one.project or opts.project
  if one.quiet == nil then
    one.quiet = true
  end
  return one
end

-- The outcome of one promotion.
local function outcome_of(key, ok, value, until_phase)
  if ok then
    return {
      flag = key,
      outcome = "done",
      status = value.status,
      started = value.started,
      until_phase = value.status ~= "complete" and until_phase or nil,
    }
  end
  local code = util.error_code(value)
  local phase_name = type(value) == "table" and value.phase or nil
  local reason = type(value) == "table" and value.message or util.error_message(value)
  return {
    flag = key,
    outcome = code == "paused" and "paused" or "failed",
    code = code,
    reason = tostring(reason),
    phase = phase_name,
  }
end

--- Promotes every flag, at most `limit` at a time, and reports how each one ended.
--- One flag's failure never stops the others. Ctrl-C stops taking new flags; once the
--- running ones have stopped, the interruption is raised again with the report so far
--- in its `report` field (flags never started are `pending`).
---@param opts ldrun.BulkOptions
---@return ldrun.BulkReport
function M.run(opts)
  check_options(opts)
  local flags
  if opts.flags then
    flags = unique_flags(opts.flags)
  else
    flags = M.flags_in_phase(opts.pipeline, opts.phase, opts.project)
  end
  local total = #flags
  local report = { outcomes = {}, counts = { done = 0, paused = 0, failed = 0, pending = 0 }, total = total }
  for i, key in ipairs(flags) do
    report.outcomes[i] = { flag = key, outcome = "pending" }
  end
  report.counts.pending = total
  if total == 0 then
    if not opts.quiet then
      log.info("bulk: no flags to promote")
    end
    return report
  end

  local limit = math.min(opts.limit or M.default_limit, total)
  local running, finished = 0, 0

  local function progress(last)
    if opts.quiet then
      return
    end
    local c = report.counts
    log.info(string.format("bulk: %d/%d finished (%d done, %d paused, %d failed), %d running", finished, total,
      c.done, c.paused, c.failed, running), { flag = last.flag, outcome = last.outcome, reason = last.reason })
  end

  local function promote_one(key, index)
    running = running + 1
    local ok, value = pcall(promote.run, promote_options(opts, key))
    running = running - 1
    local outcome = outcome_of(key, ok, value, opts.promote and opts.promote.until_phase)
    report.outcomes[index] = outcome
    report.counts.pending = report.counts.pending - 1
    report.counts[outcome.outcome] = report.counts[outcome.outcome] + 1
    finished = finished + 1
    progress(outcome)
    if opts.on_outcome then
      opts.on_outcome(outcome, report)
    end
    if not ok and util.error_code(value) == "interrupted" then
      error(value, 0) -- parallel stops handing out flags and raises it again
    end
  end

  if not opts.quiet then
    log.info(string.format("bulk: promoting %d flag%s, %d at a time", total, total == 1 and "" or "s", limit))
  end
  local ok, err = pcall(parallel, flags, promote_one, { limit = limit })
  if not ok then
    if type(err) == "table" then
      err.report = report
    end
    if not opts.quiet then
      log.warn("bulk: interrupted\n" .. M.format(report))
    end
    error(err, 0)
  end
  return report
end

--- The report as a table of outcomes, one row per flag, with a summary line.
---@param report ldrun.BulkReport
---@return string
function M.format(report)
  local rows = {}
  for _, o in ipairs(report.outcomes) do
    local detail = o.reason or ""
    if o.outcome == "done" and o.status and o.status ~= "complete" then
      detail = o.until_phase and string.format("complete up to '%s'", o.until_phase) or o.status
    end
    rows[#rows + 1] = { o.flag, o.outcome, o.phase or "", detail }
  end
  local c = report.counts
  local summary = string.format("%d flags: %d done, %d paused, %d failed", report.total, c.done, c.paused, c.failed)
  if c.pending > 0 then
    summary = summary .. string.format(", %d not started", c.pending)
  end
  return util.format_table({ "FLAG", "OUTCOME", "PHASE", "REASON" }, rows) .. "\n" .. summary
end

--- Raises `bulk_incomplete` when any flag did not finish, so the runbook exits with
--- status 1 (for CI). Returns the report otherwise.
---@param report ldrun.BulkReport
---@return ldrun.BulkReport
function M.check(report)
  local c = report.counts
  local missing = c.paused + c.failed + c.pending
  if missing > 0 then
    util.fail("bulk_incomplete", string.format("%d of %d flags did not finish (%d paused, %d failed, %d not started)",
      missing, report.total, c.paused, c.failed, c.pending), { counts = c })
  end
  return report
end

return M
