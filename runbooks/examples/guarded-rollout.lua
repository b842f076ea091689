-- Guarded rollout: release a flag through its pipeline with release guardian settings of
-- your choosing on every guarded (monitored) audience, and deal with a regression.
--
--   ldrun run --simulate runbooks/examples/guarded-rollout.lua
--   ldrun run --simulate runbooks/examples/guarded-rollout.lua -a regress=true -a on_regression=remove --yes
--   ldrun run --project web runbooks/examples/guarded-rollout.lua -a flag=search-v2 -a weight=5 -a window=2h
--
-- Options:
--   -a flag=KEY             the flag (default: search-v2)
--   -a pipeline=KEY         pipeline, when the flag has no release yet (default: the project's default)
--   -a weight=PERCENT       share of the audience in the guarded rollout (default: 10)
--   -a window=DURATION      monitoring window of the guarded rollout (default: 30m)
--   -a until=PHASE          stop once this phase is complete (default: Staging)
--   -a on_regression=WHAT   `stop` (default): report and fail; `remove`: also take the flag out of
--                           its pipeline, after a confirmation
--   -a regress=true         simulator only: make the guarded phase regress, to try the handling
--
-- A regression pauses the guarded phase; LaunchDarkly rolls the audience back when the
-- pipeline says `rollbackOnRegression`. The runbook then exits with status 1 and a
-- message naming the flag and the phase, so CI and the on-call engineer see it.

local promote = require "ldrun.promote"
local util = require "ldrun.util"

local flag_key = args.flag or "search-v2"
local on_regression = args.on_regression or "stop"
if on_regression ~= "stop" and on_regression ~= "remove" then
  error("bad option 'on_regression' (\"stop\" or \"remove\" expected, got \"" .. on_regression .. "\")", 0)
end
local weight = math.tointeger(tonumber(args.weight or "10"))
if not weight or weight < 1 or weight > 100 then
  error("bad option 'weight' (a whole percentage 1-100 expected, got " .. tostring(args.weight) .. ")", 0)
end
local window_ms = math.tointeger(math.floor(util.seconds(args.window or "30m") * 1000))

-- The guarded rollout settings sent when a guarded phase starts.
local guardian = {
  rolloutWeight = weight,
  monitoringWindowMilliseconds = window_ms,
  rollbackOnRegression = true,
}

local simulator = rawget(_G, "sim")
if args.regress == "true" and not simulator then
  error("-a regress=true needs the simulator: run with --simulate", 0)
end

local function on_event(event, info)
  if event ~= "started" or not util.is_guarded(info.phase) then
    return
  end
  log.info(string.format("%s: guarded rollout in '%s' to %d%% of the audience, monitored for %s",
    flag_key, util.phase_name(info.phase), weight, args.window or "30m"), { flag = flag_key })
  if args.regress == "true" then
    log.warn("simulator: making the guarded rollout regress")
    simulator.regress(flag_key, util.phase_id(info.phase))
  end
end

local until_phase = args["until"] or "Staging"
local ok, outcome = pcall(promote.run, {
  flag = flag_key,
  pipeline = args.pipeline,
  until_phase = until_phase,
  every = "1s",
  -- Every guarded phase of the pipeline gets these settings, whatever its name.
  audiences = function(ph)
    return promote.audience_config(ph, { guardian = guardian })
  end,
  on_event = on_event,
})

if ok then
  if outcome.status == "complete" then
    print(string.format("%s: released through every phase", flag_key))
  else
    print(string.format("%s: released up to phase '%s'", flag_key, until_phase))
  end
  return
end

local err = outcome
if util.error_code(err) ~= "paused" then
  error(err, 0) -- anything else: fail with the original error
end

log.error(string.format("%s: the guarded rollout regressed in phase '%s'", flag_key, tostring(err.phase)),
  { flag = flag_key, phase = err.phase })
if on_regression == "remove" then
  if confirm(string.format("Remove %s from its release pipeline?", flag_key)) then
    release.delete(flag_key)
    log.warn(string.format("%s: removed from its release pipeline", flag_key), { flag = flag_key })
  else
    log.info("left the release as it is")
  end
end
error(err, 0)
