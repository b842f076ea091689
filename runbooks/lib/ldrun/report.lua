--- Where every release on a pipeline stands, grouped by phase: as a readable table for
--- people and as JSON for dashboards and CI. Only reads; safe to run at any time.
---
--- ```lua
--- local report = require "ldrun.report"
--- local data = report.collect("standard")
--- print(report.format(data))      -- a table
--- print(report.json(data))        -- the same as JSON
--- ```

local util = require "ldrun.util"

local M = {}

---@class ldrun.ReportOptions
---@field project string? the project key; default: `--project` / `LD_PROJECT`
---@field details boolean? read each release for its status word and the state of its current phase (one request per release); default true
---@field limit integer? how many releases are read at the same time for details; default 8
---@field include_complete boolean? list completed releases too; default true

---@class ldrun.ReportRelease
---@field flag string
---@field phase string name of the phase the release stands in (`Complete` once done)
---@field phase_id string? that phase's id
---@field status string release status (`not_started`, `in_progress`, `ready`, `paused`, `complete`, ...), or `active` without details
---@field phase_status string? state of that phase as `phase.state` words it (`ready`, `active`, `rolled_out`, `paused`, ...), with details
---@field since integer? since when the release is in this state, epoch milliseconds: the current phase's start, else the previous phase's completion, else the release's creation (its completion once complete)
---@field created_at integer? epoch milliseconds
---@field completed_at integer? epoch milliseconds
---@field error string? why the details could not be read

---@class ldrun.ReportPhase
---@field id string
---@field name string
---@field count integer active releases standing in this phase

---@class ldrun.Report
---@field pipeline {key: string, name: string}
---@field phases ldrun.ReportPhase[] the pipeline's phases in order
---@field releases ldrun.ReportRelease[] grouped by phase in pipeline order, then the completed ones
---@field counts {total: integer, active: integer, completed: integer}

-- When the release entered its current state: the current phase's start, else the end
-- of the phase before it, else the release's creation.
local function since(rel, current)
  if type(current._startedDate) == "number" then
    return current._startedDate
  end
  local previous = nil
  for _, ph in ipairs(rel.phases) do
    if ph._id == current._id then
      break
    end
    previous = ph
  end
  if previous and type(previous._completionDate) == "number" then
    return previous._completionDate
  end
  return nil
end

-- Adds the release status, its current phase's status and since when to `entry`.
local function add_details(entry, project)
  local rel = release.get({ flag = entry.flag, project = project })
  if not rel then
    entry.status = "gone"
    return
  end
  entry.status = release.status(rel)
  local current = phase.active(rel) or phase.next(rel)
  if current and entry.status ~= "complete" then
    entry.phase_status = phase.state(rel, current)
    entry.phase = util.phase_name(current)
    entry.phase_id = util.phase_id(current)
    entry.since = since(rel, current) or entry.since
  end
end

--- Reads the pipeline and the progress of all its releases.
---@param pipeline_key string
---@param opts ldrun.ReportOptions?
---@return ldrun.Report
function M.collect(pipeline_key, opts)
  if type(pipeline_key) ~= "string" then
    util.bad_argument("bad argument #1 to 'report.collect' (pipeline key expected, got "
      .. type(pipeline_key) .. ")", 2)
  end
  opts = opts or {}
  local p = pipeline.get({ key = pipeline_key, project = opts.project })
  local data = {
    pipeline = { key = p.key or pipeline_key, name = p.name or pipeline_key },
    phases = {},
    releases = {},
    counts = { total = 0, active = 0, completed = 0 },
  }
  local names = {}
  for _, ph in ipairs(p.phases or {}) do
    local id = ph.id or ph._id
    names[id] = ph.name or ph._name
    data.phases[#data.phases + 1] = { id = id, name = names[id], count = 0 }
  end

  local entries = {}
  local progressions = util.items(pipeline.releases({ key = pipeline_key, project = opts.project }))
  for _, item in ipairs(progressions) do
    local done = util.present(item._completedAt)
    local entry = {
      flag = item.flagKey,
      phase_id = (not done) and item.activePhaseId or nil,
      phase = done and "Complete" or (names[item.activePhaseId] or tostring(item.activePhaseId)),
      status = done and "complete" or "active",
      created_at = item._createdAt,
      completed_at = done and item._completedAt or nil,
    }
    entry.since = entry.completed_at or entry.created_at
    if not done or opts.include_complete ~= false then
      entries[#entries + 1] = entry
    end
    data.counts.total = data.counts.total + 1
    if done then
      data.counts.completed = data.counts.completed + 1
    else
      data.counts.active = data.counts.active + 1
    end
  end

  if opts.details ~= false then
    local pending = {}
    for _, entry in ipairs(entries) do
      if entry.status ~= "complete" then
        pending[#pending + 1] = entry
      end
    end
    local _, errors = parallel(pending, function(entry)
      add_details(entry, opts.project)
    end, { limit = opts.limit or 8 })
    for index, err in pairs(errors) do
      pending[index].error = util.error_message(err)
    end
  end

  -- Group by phase, in pipeline order; completed releases last; by flag key within a group.
  local order = {}
  for i, ph in ipairs(data.phases) do
    order[ph.id] = i
  end
  for _, entry in ipairs(entries) do
    local rank = entry.status == "complete" and #data.phases + 1 or (order[entry.phase_id] or #data.phases + 1)
    entry.rank = rank
    if order[entry.phase_id] and entry.status ~= "complete" and entry.status ~= "gone" then
      local ph = data.phases[order[entry.phase_id]]
      ph.count = ph.count + 1
    end
  end
  table.sort(entries, function(a, b)
    if a.rank ~= b.rank then
      return a.rank < b.rank
    end
    return a.flag < b.flag
  end)
  for _, entry in ipairs(entries) do
    entry.rank = nil
  end
  data.releases = entries
  return data
end

--- The report as a plain-text table: one group per phase (phases with no release show
--- `-`), then the completed releases.
---@param data ldrun.Report
---@return string
function M.format(data)
  local rows = {}
  local by_phase = {}
  for _, entry in ipairs(data.releases) do
    local key = entry.status == "complete" and "\0complete" or (entry.phase_id or entry.phase)
    by_phase[key] = by_phase[key] or {}
    table.insert(by_phase[key], entry)
  end
  local function add_group(label, list)
    if not list or #list == 0 then
      rows[#rows + 1] = { label, "-", "", "", "" }
      return
    end
    for i, entry in ipairs(list) do
      rows[#rows + 1] = {
        i == 1 and label or "",
        entry.flag,
        entry.error and ("? " .. entry.error) or entry.status,
        entry.phase_status or "",
        util.format_time(entry.since),
      }
    end
  end
  for _, ph in ipairs(data.phases) do
    add_group(ph.name, by_phase[ph.id])
  end
  if by_phase["\0complete"] then
    add_group("Complete", by_phase["\0complete"])
  end
  local c = data.counts
  local title = string.format("Pipeline %s (%s): %d release%s, %d active, %d complete", data.pipeline.key,
    data.pipeline.name, c.total, c.total == 1 and "" or "s", c.active, c.completed)
  return title .. "\n\n" .. util.format_table({ "PHASE", "FLAG", "RELEASE", "PHASE STATUS", "SINCE (UTC)" }, rows)
end

--- The report as JSON (the `ldrun.Report` fields; times in epoch milliseconds).
---@param data ldrun.Report
---@return string
function M.json(data)
  local out = {}
  for k, v in pairs(data) do
    out[k] = v
  end
  if #data.releases == 0 and json.array then
    out.releases = json.array() -- `[]`, not `{}`
  end
  return json.encode(out, { pretty = true })
end

return M
