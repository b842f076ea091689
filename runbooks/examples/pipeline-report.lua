-- Pipeline report: where every release on a pipeline stands, grouped by phase.
--
--   ldrun run --simulate runbooks/examples/pipeline-report.lua
--   ldrun run --project web runbooks/examples/pipeline-report.lua -a pipeline=standard
--   ldrun run --project web runbooks/examples/pipeline-report.lua -a format=json > report.json
--
-- Options:
--   -a pipeline=KEY   the pipeline (default: the project's default pipeline)
--   -a format=FORMAT  `table` (default) or `json`
--
-- It only reads. Against the simulator, which starts empty, it first moves the demo
-- flags to different phases so there is something to report.

local report = require "ldrun.report"
local promote = require "ldrun.promote"
local util = require "ldrun.util"

local format = args.format or "table"
if format ~= "table" and format ~= "json" then
  error("bad option 'format' (\"table\" or \"json\" expected, got \"" .. format .. "\")", 0)
end

local pipeline_key = args.pipeline or promote.resolve_pipeline(nil).key

-- Only against the in-process simulator, and only when the pipeline has no releases.
local function set_up_demo_releases()
  local simulator = rawget(_G, "sim")
  if not simulator or #util.items(pipeline.releases(pipeline_key)) > 0 then
    return
  end
  log.info("simulator: moving the demo flags to different phases, so the report has something to show")
  local stages = {
    { flag = "new-checkout" },                         -- all the way (the simulator approves production)
    { flag = "dark-mode", until_phase = "Staging" },
    { flag = "search-v2", until_phase = "Testing" },
    { flag = "recommendations", until_phase = "Testing" },
  }
  local _, errors = parallel(stages, function(stage)
    promote.run{
      flag = stage.flag,
      pipeline = pipeline_key,
      until_phase = stage.until_phase,
      every = "1s",
      quiet = true,
      on_event = function(event, info)
        if event == "waiting" and promote.requires_approval(info.phase) then
          simulator.approve(stage.flag, info.phase._id)
        end
      end,
    }
  end, { limit = 4 })
  for index, err in pairs(errors) do
    log.warn(stages[index].flag .. ": " .. util.error_message(err))
  end
  -- One more, added but not started.
  release.create{ flag = "fast-shipping", pipeline = pipeline_key }
end

set_up_demo_releases()

local data = report.collect(pipeline_key)
if format == "json" then
  print(report.json(data))
else
  print(report.format(data))
end
