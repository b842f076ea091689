-- The soak's workload: every soak flag through all three phases of the `soak` pipeline
-- with `ldrun.bulk`, against a simulator that injects faults. Writes the bulk report as
-- JSON to `-a report=FILE` and fails (exit 1) when a flag did not finish.
--
--   ldrun run --project soak --journal J scripts/lib/soak/run.lua \
--     -a flags=120 -a limit=16 -a every=500ms -a report=FILE

local bulk = require "ldrun.bulk"

local count = math.tointeger(tonumber(args.flags or "120"))
if not count or count < 1 then
  error("bad option 'flags' (positive integer expected, got " .. tostring(args.flags) .. ")", 0)
end
local limit = math.tointeger(tonumber(args.limit or "16"))
if not limit or limit < 1 then
  error("bad option 'limit' (positive integer expected, got " .. tostring(args.limit) .. ")", 0)
end

local flags = {}
for i = 1, count do
  flags[i] = string.format("soak-%04d", i)
end

local report = bulk.run{
  flags = flags,
  limit = limit,
  quiet = true,
  promote = {
    pipeline = "soak",
    timeout = args.timeout or "5m",
    every = args.every or "500ms",
  },
}

if args.report then
  local rows = {}
  for i, o in ipairs(report.outcomes) do
    rows[i] = { flag = o.flag, outcome = o.outcome, status = o.status, code = o.code, reason = o.reason,
      started = o.started and json.array(o.started) or json.array() }
  end
  local file = assert(io.open(args.report, "w"))
  file:write(json.encode({ total = report.total, counts = report.counts, outcomes = json.array(rows) }), "\n")
  file:close()
end

print(bulk.format(report))
bulk.check(report)
