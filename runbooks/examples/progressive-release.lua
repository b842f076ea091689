-- Progressive release: take one flag through every phase of its pipeline.
--
--   ldrun run --simulate --yes runbooks/examples/progressive-release.lua
--   ldrun run --project web runbooks/examples/progressive-release.lua -a flag=new-checkout -a pipeline=standard
--
-- Options (-a key=value):
--   flag       the flag to release (default: new-checkout)
--   pipeline   pipeline key or name, when the flag has no release yet (default: the project's default)
--   variation  the variation to release: true, false, a variation name or an `_id` (default: true)
--   until      stop once this phase is complete (default: run to the end)
--   timeout    how long each phase may take (default: 10m)
--
-- Production is gated: the runbook asks before starting a phase that releases to a
-- production environment (`--yes` answers for you). When a phase needs an approval,
-- the runbook waits for it; against the simulator (`--simulate`) it approves the phase
-- itself, through the simulator, so the demo runs unattended.
--
-- Interrupted? Run the same command again: it continues where the release is.

local promote = require "ldrun.promote"
local util = require "ldrun.util"

local flag_key = args.flag or "new-checkout"
-- The simulator's admin functions, present only under `ldrun run --simulate`.
local simulator = rawget(_G, "sim")

--- Reads a variation option: "true"/"false" are the boolean values, anything else a name or id.
---@param text string?
---@return any
local function variation_option(text)
  if text == nil or text == "true" then
    return true
  elseif text == "false" then
    return false
  end
  return text
end

-- Against the in-process simulator, play the release manager who approves production.
local function approve_in_simulator(info)
  local name = util.phase_name(info.phase)
  if simulator then
    log.info(string.format("simulator: approving phase '%s' of %s, as a release manager would in LaunchDarkly",
      name, flag_key))
    simulator.approve(flag_key, util.phase_id(info.phase))
  else
    log.info(string.format("phase '%s' needs an approval: approve it in LaunchDarkly", name))
  end
end

local result = promote.run{
  flag = flag_key,
  pipeline = args.pipeline,
  variation = variation_option(args.variation),
  gate = "confirm",
  timeout = args.timeout or "10m",
  every = "1s",
  until_phase = args["until"],
  on_event = function(event, info)
    if event == "waiting" and util.requires_approval(info.phase) and not ldrun.dry_run then
      approve_in_simulator(info)
    end
  end,
}

-- A summary of the release: when each phase started and completed, and how long it took.
local rows = {}
for _, ph in ipairs(result.release.phases) do
  local took = ""
  if type(ph._startedDate) == "number" and type(ph._completionDate) == "number" then
    took = string.format("%.1fs", (ph._completionDate - ph._startedDate) / 1000)
  end
  rows[#rows + 1] = {
    util.phase_name(ph), table.concat(util.environments(ph), ", "), phase.state(result.release, ph), took,
  }
end
print(string.format("\n%s on pipeline '%s': %s", flag_key, result.release.releasePipelineKey, result.status))
print(util.format_table({ "PHASE", "ENVIRONMENTS", "STATE", "TOOK" }, rows))
