--- Removes completed releases from a pipeline, so that the pipeline's list shows only
--- work in progress and the flags can join a pipeline again later.
---
--- Each release is read again just before it is removed and is kept unless it is still
--- complete and still on this pipeline. Under `ldrun run --dry-run` (or with
--- `dry_run = true`) nothing is removed: the plan is logged and returned.
---
--- ```lua
--- local cleanup = require "ldrun.cleanup"
--- local result = cleanup.run{ pipeline = "standard", older_than = "7d" }
--- print(cleanup.format(result))
--- ```

local util = require "ldrun.util"

local M = {}

---@class ldrun.CleanupOptions
---@field pipeline string the pipeline key
---@field project string? the project key; default: `--project` / `LD_PROJECT`
---@field older_than number|string|nil only releases completed at least this long ago (`"7d"`, `"12h"`, seconds)
---@field keep string[]? flag keys never to remove
---@field dry_run boolean? plan only; default: `ldrun.dry_run`
---@field limit integer? how many releases are removed at the same time; default 4

---@class ldrun.CleanupEntry
---@field flag string
---@field completed_at integer? epoch milliseconds
---@field action "removed"|"would remove"|"kept"|"failed"
---@field reason string? why it was kept or why removing failed

---@class ldrun.CleanupResult
---@field pipeline string
---@field dry_run boolean
---@field entries ldrun.CleanupEntry[]
---@field counts table<string, integer> per action

local function check_options(opts)
  if type(opts) ~= "table" then
    util.bad_argument("bad argument #1 to 'cleanup.run' (options table expected, got " .. type(opts) .. ")", 3)
  end
  if type(opts.pipeline) ~= "string" or opts.pipeline == "" then
    util.bad_argument("bad option 'pipeline' to 'cleanup.run' (pipeline key expected, got "
      .. type(opts.pipeline) .. ")", 3)
  end
  if opts.keep ~= nil and type(opts.keep) ~= "table" then
    util.bad_argument("bad option 'keep' to 'cleanup.run' (list of flag keys expected, got "
      .. type(opts.keep) .. ")", 3)
  end
end

local function completed_releases(opts)
  local answer = pipeline.releases({ key = opts.pipeline, project = opts.project, status = "completed" })
  local list = {}
  for _, item in ipairs(util.items(answer)) do
    -- Filtered again here, in case the filter was not applied.
    if util.present(item._completedAt) then
      list[#list + 1] = item
    end
  end
  table.sort(list, function(a, b)
    return a.flagKey < b.flagKey
  end)
  return list
end

-- Why the release of `entry.flag` must be kept now, or nil when it can go.
local function reason_to_keep(opts, entry)
  local rel = release.get({ flag = entry.flag, project = opts.project })
  if not rel then
    return "already removed"
  end
  if rel.releasePipelineKey ~= opts.pipeline then
    return "now on pipeline '" .. tostring(rel.releasePipelineKey) .. "'"
  end
  local status = release.status(rel)
  if status ~= "complete" then
    return "no longer complete (" .. status .. ")"
  end
  return nil
end

--- Removes the completed releases of `opts.pipeline` (or, in a dry run, says which it would).
---@param opts ldrun.CleanupOptions
---@return ldrun.CleanupResult
function M.run(opts)
  check_options(opts)
  local dry_run = opts.dry_run
  if dry_run == nil then
    dry_run = ldrun.dry_run and true or false
  end
  local keep = {}
  for _, key in ipairs(opts.keep or {}) do
    keep[key] = true
  end
  local cutoff = nil
  if opts.older_than ~= nil then
    cutoff = (os.time() - util.seconds(opts.older_than)) * 1000
  end

  local entries = {}
  for _, item in ipairs(completed_releases(opts)) do
    local entry = { flag = item.flagKey, completed_at = item._completedAt }
    if keep[entry.flag] then
      entry.action, entry.reason = "kept", "in the keep list"
    elseif cutoff and item._completedAt > cutoff then
      entry.action, entry.reason = "kept", "completed too recently"
    end
    entries[#entries + 1] = entry
  end

  local candidates = {}
  for _, entry in ipairs(entries) do
    if not entry.action then
      candidates[#candidates + 1] = entry
    end
  end
  local _, errors = parallel(candidates, function(entry)
    local why = reason_to_keep(opts, entry)
    if why then
      entry.action, entry.reason = "kept", why
      return
    end
    if dry_run and not ldrun.dry_run then
      -- Plan only: ldrun itself is not in dry-run mode, so do not call the write at all.
      log.info(string.format("would remove the release of %s from '%s'", entry.flag, opts.pipeline),
        { flag = entry.flag })
    else
      -- Live, the host announces and journals the removal; under --dry-run it records it
      -- without sending it.
      release.delete({ flag = entry.flag, project = opts.project })
    end
    entry.action = dry_run and "would remove" or "removed"
  end, { limit = opts.limit or 4 })
  for index, err in pairs(errors) do
    candidates[index].action = "failed"
    candidates[index].reason = util.error_message(err)
  end

  local counts = { removed = 0, ["would remove"] = 0, kept = 0, failed = 0 }
  for _, entry in ipairs(entries) do
    counts[entry.action] = counts[entry.action] + 1
  end
  return { pipeline = opts.pipeline, dry_run = dry_run, entries = entries, counts = counts }
end

--- The result as a table, one row per completed release, with a summary line.
---@param result ldrun.CleanupResult
---@return string
function M.format(result)
  local rows = {}
  for _, entry in ipairs(result.entries) do
    rows[#rows + 1] = { entry.flag, util.format_time(entry.completed_at), entry.action, entry.reason or "" }
  end
  local c = result.counts
  local summary
  if result.dry_run then
    summary = string.format("dry run: %d release%s would be removed from '%s', %d kept", c["would remove"],
      c["would remove"] == 1 and "" or "s", result.pipeline, c.kept)
  else
    summary = string.format("%d release%s removed from '%s', %d kept, %d failed", c.removed,
      c.removed == 1 and "" or "s", result.pipeline, c.kept, c.failed)
  end
  if #rows == 0 then
    return "no completed releases on '" .. result.pipeline .. "'"
  end
  return util.format_table({ "FLAG", "COMPLETED (UTC)", "ACTION", "REASON" }, rows) .. "\n" .. summary
end

return M
