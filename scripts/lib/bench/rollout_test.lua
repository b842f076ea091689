-- The runbook test scripts/bench times (`ldrun test`): a two-hour guarded rollout in
-- Staging, polled as ldrun.promote polls by default (every 5 s at first, growing to once a
-- minute), then Production, approved 30 minutes after it starts.

local promote = require "ldrun.promote"

test("a two-hour guarded rollout", {
  phase_duration = "2h",
  approvals = { flag = "new-checkout", phase = "Production", after = "30m" },
}, function(t)
  local result = promote.run({ flag = "new-checkout", pipeline = "standard", timeout = "3h", quiet = true })
  t.expect(result.status).equals("complete")
  t.expect(t.elapsed()).at_least(2.5 * 3600)
end)
