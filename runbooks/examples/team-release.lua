-- A runbook written against a team's own library (runbooks/examples/team-library):
-- the release policy lives in the module `acme.release`, the runbook only says what to ship.
--
--   ldrun run --simulate --yes --lib runbooks/examples/team-library runbooks/examples/team-release.lua -a flag=dark-mode
--   ACME_CHANGE_FREEZE="end of quarter" ldrun run --simulate --lib runbooks/examples/team-library \
--     runbooks/examples/team-release.lua          # refused at production
--
-- Options: -a flag=KEY (default: dark-mode), -a until=PHASE.

local acme = require "acme.release"

local flag_key = args.flag or "dark-mode"
local simulator = rawget(_G, "sim")

local result = acme.ship(flag_key, {
  until_phase = args["until"],
  on_event = function(event, info)
    -- Under --simulate, approve production through the simulator.
    if simulator and event == "waiting" and not ldrun.dry_run then
      for _, audience in ipairs(info.phase._audiences or {}) do
        if audience.configuration and audience.configuration.requireApproval then
          log.info("simulator: approving phase '" .. info.phase._name .. "'")
          simulator.approve(flag_key, info.phase._id)
          return
        end
      end
    end
  end,
})
print(string.format("%s: %s", flag_key, result.status))
