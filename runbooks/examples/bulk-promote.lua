-- Bulk promotion: move many flags forward at once, a few at a time, and end with a
-- table of what happened to each.
--
--   ldrun run --simulate runbooks/examples/bulk-promote.lua
--   ldrun run --project web runbooks/examples/bulk-promote.lua -- checkout-v2 search-v2 dark-mode
--   ldrun run --project web runbooks/examples/bulk-promote.lua -a pipeline=standard -a phase=Testing
--
-- Which flags:
--   flag keys after `--`                             those flags (added to `pipeline` if they have no release)
--   -a pipeline=KEY -a phase=NAME                    every flag whose release stands in that phase
--   neither                                          the demo seed's flags
-- Options:
--   -a pipeline=KEY   pipeline for flags without a release (default: the project's default)
--   -a until=PHASE    stop each flag once this phase is complete (default: Staging; "end" for all phases)
--   -a limit=N        flags in flight at once (default: 4)
--   -a timeout=D      how long each phase may take (default: 10m)
--
-- Exit status 1 when any flag did not get there (paused, failed): the table says why.
-- Against the simulator, phases that need an approval are approved through it.
-- Run it again to retry: flags that finished are left alone.

local bulk = require "ldrun.bulk"
local promote = require "ldrun.promote"

-- Under --simulate, play the release manager and approve phases that need it.
local simulator = rawget(_G, "sim")
local function approve_in_simulator(event, info)
  if simulator and event == "waiting" and promote.requires_approval(info.phase) and not ldrun.dry_run then
    log.info(string.format("simulator: approving phase '%s' of %s", info.phase._name, info.flag))
    simulator.approve(info.flag, info.phase._id)
  end
end

local flags = {}
for i = 1, #args do
  flags[#flags + 1] = args[i]
end
if #flags == 0 and not args.phase then
  flags = { "dark-mode", "search-v2", "recommendations", "fast-shipping" }
end

local until_phase = args["until"] or "Staging"
if until_phase == "end" then
  until_phase = nil
end

local limit = math.tointeger(tonumber(args.limit or "4"))
if not limit or limit < 1 then
  error("bad option 'limit' (positive integer expected, got " .. tostring(args.limit) .. ")", 0)
end

local report = bulk.run{
  flags = #flags > 0 and flags or nil,
  pipeline = args.pipeline,
  phase = args.phase,
  limit = limit,
  promote = {
    pipeline = args.pipeline,
    until_phase = until_phase,
    timeout = args.timeout or "10m",
    every = "1s",
    on_event = approve_in_simulator,
  },
}

print(bulk.format(report))
bulk.check(report)
