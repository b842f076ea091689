-- Cleanup: take the flags whose release is complete off a pipeline.
--
--   ldrun run --simulate runbooks/examples/cleanup-completed.lua
--   ldrun run --project web --dry-run runbooks/examples/cleanup-completed.lua -a pipeline=standard -a older_than=7d
--
-- Options:
--   -a pipeline=KEY        the pipeline (default: the project's default pipeline)
--   -a older_than=DURATION only releases completed at least this long ago, e.g. 7d, 12h
--   -a keep=FLAG,FLAG      flags to leave alone
--
-- Try it with --dry-run first: it lists what it would remove and removes nothing.
-- Against the simulator, which starts empty, it first completes two releases so there is
-- something to clean up.

local cleanup = require "ldrun.cleanup"
local promote = require "ldrun.promote"

local pipeline_key = args.pipeline or promote.resolve_pipeline(nil).key

local keep = {}
for key in (args.keep or ""):gmatch("[^,%s]+") do
  keep[#keep + 1] = key
end

-- Only against the in-process simulator, and only when the pipeline has no releases.
local simulator = rawget(_G, "sim")
if simulator and #pipeline.releases(pipeline_key).items == 0 then
  log.info("simulator: completing two releases, so there is something to clean up")
  for _, key in ipairs{ "dark-mode", "search-v2" } do
    promote.run{
      flag = key,
      pipeline = pipeline_key,
      every = "1s",
      quiet = true,
      on_event = function(event, info)
        if event == "waiting" and promote.requires_approval(info.phase) and not ldrun.dry_run then
          simulator.approve(key, info.phase._id)
        end
      end,
    }
  end
end

local result = cleanup.run{ pipeline = pipeline_key, older_than = args.older_than, keep = keep }
print(cleanup.format(result))
if result.counts.failed > 0 then
  error(ldrun.error("cleanup_incomplete", result.counts.failed .. " release(s) could not be removed"), 0)
end
