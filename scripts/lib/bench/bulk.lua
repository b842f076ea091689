-- The bulk promotion of scripts/bench: flags bench-00001 .. bench-N of the benchmark seed
-- through every phase of pipeline `three`, `limit` at a time, with `ldrun.bulk`.
--
--   ldrun run --project bench bulk.lua -a flags=N -a limit=L
--
-- Fails (exit 1) unless every flag finished.

local bulk = require "ldrun.bulk"

local count = math.tointeger(tonumber(args.flags or "")) or error("-a flags=N is required")
local limit = math.tointeger(tonumber(args.limit or "1")) or error("-a limit= must be an integer")
local flags = {}
for i = 1, count do
  flags[i] = string.format("bench-%05d", i)
end
local report = bulk.run({
  flags = flags,
  limit = limit,
  quiet = true,
  promote = { pipeline = "three", every = "10ms", timeout = "5m" },
})
bulk.check(report)
