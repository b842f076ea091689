-- Tests of the team library: the module acme.release and the runbook team-release.lua.
--
--   ldrun test --lib runbooks/examples/team-library runbooks/examples/team-library/tests

local acme = require "acme.release"

local RUNBOOK = "runbooks/examples/team-release.lua"
local FREEZE = acme.policy.freeze_variable
local PRODUCTION = "65a1f0c2e4b0a1b2c3d40003"

-- Makes os.getenv answer `value` for the freeze variable, for the rest of this test only
-- (a test's os.getenv sees only its scenario's `env`; every test runs in a fresh session).
local function set_freeze(value)
  local getenv = os.getenv
  os.getenv = function(name) -- luacheck: ignore 122 (the stub is the point)
    if name == FREEZE then
      return value
    end
    return getenv(name)
  end
end

-- Production is approved a minute after it starts.
local function approved(flag_key)
  return { flag = flag_key, phase = "Production", after = "1m" }
end

test("the policy", function(t)
  t.expect(acme.policy.pipeline).equals("standard")
  t.expect(acme.policy.approvers).equals({ "release-managers" })
  t.expect(acme.policy.timeouts).equals({ Testing = "15m", Staging = "2h", Production = "8h" })
  t.expect(FREEZE).equals("ACME_CHANGE_FREEZE")
end)

test("freeze_reason reads the freeze variable", function(t)
  set_freeze(nil)
  t.expect(acme.freeze_reason()).is_nil()
  set_freeze("")
  t.expect(acme.freeze_reason()).is_nil()
  set_freeze("end of quarter")
  t.expect(acme.freeze_reason()).equals("end of quarter")
end)

test("ship takes a flag through the standard pipeline after a yes", {
  dialect = "both", answers = { confirm = { true } }, approvals = approved("new-checkout"),
}, function(t)
  local result = acme.ship("new-checkout")
  t.expect(result.status).equals("complete")
  t.expect(result.release.releasePipelineKey).equals("standard")
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging", "Production" })
  t.expect(t.questions()).equals({ "Release new-checkout to production (phase 'Production')?" })
end)

test("approvals notify the release managers", {
  dialect = "both", yes = true, approvals = approved("new-checkout"),
}, function(t)
  acme.ship("new-checkout")
  local start = t.requests{ route = "phase-start", path = PRODUCTION, status = 200 }[1]
  t.expect(start.body.audiences[1].notifyTeamKeys).equals({ "release-managers" })
  -- Staging's guarded rollout keeps its own settings and gets no notify list.
  local staging = t.requests{ route = "phase-start", path = "65a1f0c2e4b0a1b2c3d40002", status = 200 }[1]
  t.expect(staging.body.audiences[1].releaseGuardianConfiguration.rolloutWeight).equals(50)
  t.expect(staging.body.audiences[1].notifyTeamKeys).is_nil()
end)

test("the approvers are read from the policy when production starts", {
  dialect = "both", yes = true, approvals = approved("new-checkout"),
}, function(t)
  -- (The demo pipeline itself notifies release-managers, so another team shows where the list comes from.)
  acme.policy.approvers = { "platform-oncall" }
  acme.ship("new-checkout")
  local start = t.requests{ route = "phase-start", path = PRODUCTION, status = 200 }[1]
  t.expect(start.body.audiences[1].notifyTeamKeys).equals({ "platform-oncall" })
  t.expect(start.body.audiences[1].notifyMemberIds).equals({ "65a1f0c2e4b0a1b2c3d4m001" })
end)

test("the operator says no: production is not started", {
  dialect = "both", answers = { confirm = { false } },
}, function(t)
  local err = t.expect_error(acme.ship, "new-checkout")
  t.expect(err.code).equals("gate_declined")
  t.expect(err.phase).equals("Production")
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging" })
end)

-- (The approvals below only matter if the gate wrongly let production start: the test then
-- fails in a moment instead of waiting for the 8-hour timeout.)
test("a change freeze refuses production without asking", {
  dialect = "both", yes = true, approvals = approved("new-checkout"), env = { [FREEZE] = "end of quarter" },
}, function(t)
  local err = t.expect_error(acme.ship, "new-checkout")
  t.expect(err.code).equals("gate_declined")
  t.expect(err.flag).equals("new-checkout")
  t.expect(err.phase).equals("Production")
  t.expect(err.message).equals("the gate refused phase 'Production': change freeze: end of quarter")
  t.expect(t.questions()).equals({})
  -- The phases before production still go ahead.
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging" })
  t.expect(t.requests{ route = "phase-start", path = PRODUCTION }).has_length(0)
end)

test("after the freeze, shipping again finishes the release", {
  dialect = "both", yes = true, approvals = approved("new-checkout"),
}, function(t)
  set_freeze("incident 4711")
  t.expect_error(acme.ship, "new-checkout")
  set_freeze(nil)
  local result = acme.ship("new-checkout")
  t.expect(result.status).equals("complete")
  t.expect(result.started).equals({ "Production" })
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging", "Production" })
end)

test("until_phase stops before production, with no question", { dialect = "both" }, function(t)
  local result = acme.ship("dark-mode", { until_phase = "Staging" })
  t.expect(result.status).equals("ready")
  t.expect(result.started).equals({ "Testing", "Staging" })
  t.expect(t.questions()).equals({})
end)

test("the variation and on_event are passed on", { dialect = "both" }, function(t)
  local events = {}
  acme.ship("new-checkout", {
    variation = false,
    until_phase = "Testing",
    on_event = function(event)
      events[#events + 1] = event
    end,
  })
  t.expect(t.requests{ route = "release-create" }[1].body.releaseVariationId).equals("65a1f0c2e4b0a1b2c3d4v002")
  t.expect(events[1]).equals("created")
  t.expect(events[#events]).equals("done")
end)

test("a runbook may change the policy before shipping", { dialect = "both", yes = true }, function(t)
  acme.policy.pipeline = "fast-track"
  local result = acme.ship("search-v2")
  t.expect(result.status).equals("complete")
  t.expect(result.release.releasePipelineKey).equals("fast-track")
  t.expect(t.started_phases("search-v2")).equals({ "Test", "Production" })
  -- fast-track's Production is a production environment too: the gate asked.
  t.expect(t.questions()).has_length(1)
end)

test("production without an approval times out under the policy's timeout", {
  dialect = "both", yes = true,
}, function(t)
  acme.policy.timeouts = { Production = "2m" }
  local err = t.expect_error(acme.ship, "new-checkout")
  t.expect(err.code).equals("timeout")
  t.expect(err.phase).equals("Production")
  t.expect(err.message).equals("did not roll out within 2m")
  t.expect(err.hint).contains("approve it there")
end)

-- team-release.lua, run as `ldrun run --simulate --yes ... team-release.lua` would run it.

test("team-release.lua ships dark-mode by default", { dialect = "both", yes = true }, function(t)
  local run = t.run(RUNBOOK)
  t.expect(run.error).is_nil()
  t.expect(run.status).equals(0)
  t.expect(t.started_phases("dark-mode")).equals({ "Testing", "Staging", "Production" })
  t.expect(release.status(release.get("dark-mode"))).equals("complete")
  local operations = {}
  for _, record in ipairs(run.journal) do
    operations[#operations + 1] = record.operation .. " " .. record.outcome
  end
  t.expect(operations).equals({ "release.create ok", "phase.start ok", "phase.start ok", "phase.start ok", "run done" })
end)

test("team-release.lua takes -a flag and -a until", { dialect = "both", yes = true }, function(t)
  local run = t.run(RUNBOOK, { flag = "new-checkout", ["until"] = "Staging" })
  t.expect(run.status).equals(0)
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging" })
  t.expect(t.started_phases("dark-mode")).equals({})
end)

test("team-release.lua takes its flag from the scenario's args", {
  dialect = "both", yes = true, args = { flag = "search-v2", ["until"] = "Testing" },
}, function(t)
  local run = t.run(RUNBOOK)
  t.expect(run.status).equals(0)
  t.expect(t.started_phases("search-v2")).equals({ "Testing" })
end)

test("team-release.lua fails with exit status 1 when the operator says no", {
  dialect = "both", answers = { confirm = { false } },
}, function(t)
  local run = t.run(RUNBOOK)
  t.expect(run.status).equals(1)
  t.expect(run.error.code).equals("gate_declined")
  t.expect(run.error.phase).equals("Production")
  t.expect(t.questions()).equals({ "Release dark-mode to production (phase 'Production')?" })
  t.expect(t.started_phases("dark-mode")).equals({ "Testing", "Staging" })
end)

test("team-release.lua is refused at production during a change freeze", { dialect = "both", yes = true },
  function(t)
    local run = t.run(RUNBOOK, {}, { env = { [FREEZE] = "end of quarter" } })
    t.expect(run.status).equals(1)
    t.expect(run.error.code).equals("gate_declined")
    t.expect(run.error.message).contains("change freeze: end of quarter")
    t.expect(t.questions()).equals({})
    t.expect(t.started_phases("dark-mode")).equals({ "Testing", "Staging" })
  end)

test("team-release.lua run twice starts nothing the second time", { dialect = "both", yes = true }, function(t)
  local first = t.run(RUNBOOK, { flag = "new-checkout" })
  t.expect(first.status).equals(0)
  t.expect(#first.journal).equals(5)
  local writes = #t.requests{ method = "PUT" }
  local second = t.run(RUNBOOK, { flag = "new-checkout" })
  t.expect(second.status).equals(0)
  t.expect(#t.requests{ method = "PUT" }).equals(writes)
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging", "Production" })
  for _, record in ipairs(second.journal) do
    t.expect(record.operation).equals("run")
  end
end)
