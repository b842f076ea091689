--- ACME's release policy, written once and shared by every team's runbooks:
--- production needs an explicit yes and is refused during a change freeze, approvals
--- notify the release managers, and production may take a working day.
---
--- ```lua
--- local acme = require "acme.release"
--- acme.ship("new-checkout")
--- ```

local promote = require "ldrun.promote"

local M = {}

--- The policy; a runbook may change a field before calling `ship`.
---@class acme.Policy
---@field pipeline string pipeline for flags that have no release yet
---@field approvers string[] team keys notified when a phase needs an approval
---@field timeouts table<string, string> per-phase timeouts
---@field freeze_variable string environment variable that, when set to a reason, freezes production
M.policy = {
  pipeline = "standard",
  approvers = { "release-managers" },
  timeouts = { Testing = "15m", Staging = "2h", Production = "8h" },
  freeze_variable = "ACME_CHANGE_FREEZE",
}

--- The reason production is frozen, or nil when it is not.
---@return string?
function M.freeze_reason()
  local reason = os.getenv(M.policy.freeze_variable)
  if reason and reason ~= "" then
    return reason
  end
  return nil
end

-- The gate before production phases: no release during a freeze, else ask.
local function production_gate(ph, _, flag_key)
  local frozen = M.freeze_reason()
  if frozen then
    return false, "change freeze: " .. frozen
  end
  if ldrun.dry_run then
    return true
  end
  return confirm(string.format("Release %s to production (phase '%s')?", flag_key, ph._name))
end

---@class acme.ShipOptions
---@field variation any? the variation to release (by `_id`, value or name)
---@field until_phase string? stop once this phase is complete
---@field on_event fun(event: string, info: table)? passed to `promote.run`

--- Takes a flag through the pipeline under the team's policy.
---@param flag_key string
---@param opts acme.ShipOptions?
---@return ldrun.PromoteResult
function M.ship(flag_key, opts)
  opts = opts or {}
  return promote.run{
    flag = flag_key,
    pipeline = M.policy.pipeline,
    variation = opts.variation,
    gate = production_gate,
    audiences = function(ph)
      return promote.audience_config(ph, { notify_teams = M.policy.approvers })
    end,
    timeouts = M.policy.timeouts,
    every = "2s",
    until_phase = opts.until_phase,
    on_event = opts.on_event,
  }
end

return M
