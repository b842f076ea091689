-- Tests of ldrun.promote: ldrun test --lib runbooks/lib runbooks/lib
--
-- The demo seed's pipeline `standard` is Testing → Staging (guarded) → Production (needs an
-- approval). Every test that drives a release runs in both API dialects.

local promote = require "ldrun.promote"

local FLAG = "new-checkout"
local ALL = { "Testing", "Staging", "Production" }

-- Production approved a few minutes after it starts.
local function approved_soon(flag)
  return { flag = flag or FLAG, phase = "Production", after = "3m" }
end

-- The ids of the phases of a demo pipeline release, by name.
local function phase_id(rel, name)
  return phase.find(rel, name)._id
end

test("a fresh flag goes through every phase", { dialect = "both", approvals = approved_soon() }, function(t)
  local result = promote.run{ flag = FLAG, pipeline = "standard", timeouts = { Production = "1h" } }
  t.expect(result.status).equals("complete")
  t.expect(result.created).is_true()
  t.expect(result.flag).equals(FLAG)
  t.expect(result.started).equals(ALL)
  t.expect(t.started_phases(FLAG)).equals(ALL)
  t.expect(t.requests{ route = "release-create" }).has_length(1)
  -- (In the spec dialect the first start is also refused once for its status value.)
  t.expect(t.requests{ route = "phase-start", status = 200 }).has_length(3)
  t.expect(release.status(result.release)).equals("complete")
  -- Production waited for its approval.
  t.expect(t.elapsed()).at_least(180)
  t.expect(t.elapsed()).at_most(3600)
end)

test("a fresh flag uses the project's default pipeline when none is named", { dialect = "both",
  approvals = approved_soon() }, function(t)
  local result = promote.run{ flag = FLAG }
  t.expect(result.status).equals("complete")
  t.expect(result.release.releasePipelineKey).equals("standard")
  t.expect(t.requests{ route = "release-create" }[1].body.releasePipelineKey).equals("standard")
end)

test("a pipeline named by its display name is found", { dialect = "both" }, function(t)
  local result = promote.run{ flag = "dark-mode", pipeline = "Fast track" }
  t.expect(result.status).equals("complete")
  t.expect(t.requests{ route = "release-create" }[1].body.releasePipelineKey).equals("fast-track")
  t.expect(t.started_phases("dark-mode")).equals({ "Test", "Production" })
end)

test("resuming a half-released flag starts only the remaining phases", {
  dialect = "both",
  releases = { [FLAG] = { pipeline = "standard", completed = "Testing", started = "Staging" } },
  approvals = approved_soon(),
}, function(t)
  local before = t.release(FLAG)
  t.expect(phase.state(before, "Testing")).equals("complete")
  t.expect(phase.state(before, "Staging")).equals("active")

  local result = promote.run{ flag = FLAG, pipeline = "standard" }
  t.expect(result.status).equals("complete")
  t.expect(result.created).is_false()
  t.expect(result.started).equals({ "Production" })
  t.expect(t.started_phases(FLAG)).equals({ "Production" })
  local starts = t.requests{ route = "phase-start", status = 200 }
  t.expect(starts).has_length(1)
  t.expect(starts[1].path).contains(phase_id(before, "Production"))
  for _, request in ipairs(t.requests{ route = "phase-start" }) do
    t.expect(request.path).contains(phase_id(before, "Production"))
  end
  t.expect(t.requests{ route = "release-create" }).has_length(0)
end)

test("resuming after Testing starts Staging and Production", {
  dialect = "both",
  releases = { [FLAG] = { completed = "Testing" } },
  approvals = approved_soon(),
}, function(t)
  local result = promote.run{ flag = FLAG }
  t.expect(result.started).equals({ "Staging", "Production" })
  t.expect(t.started_phases(FLAG)).equals({ "Staging", "Production" })
  t.expect(t.requests{ route = "phase-start", path = phase_id(t.release(FLAG), "Testing") }).has_length(0)
end)

test("a complete release is left alone", { dialect = "both", releases = { [FLAG] = { completed = true } } },
  function(t)
    local result = promote.run{ flag = FLAG, pipeline = "standard" }
    t.expect(result.status).equals("complete")
    t.expect(result.started).equals({})
    t.expect(t.requests{ method = "PUT" }).has_length(0)
  end)

test("the operator declines production: nothing is started there", {
  dialect = "both", answers = { confirm = { false } },
}, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, pipeline = "standard", gate = "confirm" })
  t.expect(err.code).equals("gate_declined")
  t.expect(err.flag).equals(FLAG)
  t.expect(err.phase).equals("Production")
  t.expect(err.message).contains("declined")
  -- Only production is gated by default: one question, asked before Production.
  t.expect(t.questions()).equals({ "Start phase 'Production' of new-checkout (environments: production)?" })
  t.expect(t.started_phases(FLAG)).equals({ "Testing", "Staging" })
end)

test("the operator says yes: production starts", {
  dialect = "both", answers = { confirm = { true } }, approvals = approved_soon(),
}, function(t)
  local result = promote.run{ flag = FLAG, pipeline = "standard", gate = "confirm" }
  t.expect(result.status).equals("complete")
  t.expect(t.questions()).has_length(1)
  t.expect(t.started_phases(FLAG)).equals(ALL)
end)

test("a gate function refuses with a reason", { dialect = "both" }, function(t)
  local seen = {}
  local err = t.expect_error(promote.run, {
    flag = FLAG,
    pipeline = "standard",
    gate = function(ph, rel, flag_key)
      seen[#seen + 1] = ph._name
      t.expect(flag_key).equals(FLAG)
      t.expect(rel.phases).exists()
      return false, "no deploys on Friday"
    end,
  })
  t.expect(err.code).equals("gate_declined")
  t.expect(err.message).contains("no deploys on Friday")
  t.expect(seen).equals({ "Production" })
  t.expect(t.started_phases(FLAG)).equals({ "Testing", "Staging" })
end)

test("gate_phases chooses which phases are gated", { dialect = "both" }, function(t)
  local seen = {}
  local err = t.expect_error(promote.run, {
    flag = FLAG,
    gate_phases = { "staging" },
    gate = function(ph)
      seen[#seen + 1] = ph._name
      return false
    end,
  })
  t.expect(err.code).equals("gate_declined")
  t.expect(err.phase).equals("Staging")
  t.expect(seen).equals({ "Staging" })
  t.expect(t.started_phases(FLAG)).equals({ "Testing" })
end)

test("an approval that comes late is waited for", {
  dialect = "both",
  approvals = { flag = FLAG, phase = "Production", after = "50m" },
}, function(t)
  local result = promote.run{ flag = FLAG, timeouts = { Production = "1h" }, every = "1m" }
  t.expect(result.status).equals("complete")
  t.expect(t.started_phases(FLAG)).equals(ALL)
  t.expect(t.elapsed()).at_least(50 * 60)
  t.expect(t.elapsed()).at_most(60 * 60)
end)

test("never approved: Production times out with the module's error", { dialect = "both" }, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, timeouts = { Production = "20m" }, every = "1m" })
  t.expect(err.code).equals("timeout")
  t.expect(err.flag).equals(FLAG)
  t.expect(err.phase).equals("Production")
  t.expect(err.message).equals("did not roll out within 20m")
  t.expect(err.hint).contains("needs an approval")
  t.expect(err.cause.code).equals("timeout")
  t.expect(tostring(err)).matches("^new%-checkout %[Production%]: timeout: did not roll out within 20m")
  t.expect(t.started_phases(FLAG)).equals(ALL)
  t.expect(t.elapsed()).at_least(20 * 60)
end)

test("the default timeout is 30 minutes", { dialect = "both" }, function(t)
  t.expect(promote.default_timeout).equals("30m")
  local err = t.expect_error(promote.run, { flag = FLAG, every = "1m" })
  t.expect(err.code).equals("timeout")
  t.expect(err.message).equals("did not roll out within 30m")
end)

test("a timeout in seconds is named with its unit", { releases = { [FLAG] = { started = "Staging" } } }, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, timeout = 120, every = "1m" })
  t.expect(err.code).equals("timeout")
  t.expect(err.message).equals("did not roll out within 120s")
end)

test("a regression in Staging stops the run as paused", {
  dialect = "both",
  regress = { flag = FLAG, phase = "Staging", after = "30s" },
}, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, pipeline = "standard" })
  t.expect(err.code).equals("paused")
  t.expect(err.flag).equals(FLAG)
  t.expect(err.phase).equals("Staging")
  t.expect(err.hint).contains("run this runbook again")
  t.expect(err.cause.code).equals("paused")
  t.expect(t.started_phases(FLAG)).equals({ "Testing", "Staging" })
  t.expect(release.status(t.release(FLAG))).equals("paused")
end)

test("a release that is already paused is reported, not started", {
  dialect = "both",
  releases = { [FLAG] = { completed = "Testing", started = "Staging" } },
}, function(t)
  t.regress(FLAG, "Staging")
  local err = t.expect_error(promote.run, { flag = FLAG })
  t.expect(err.code).equals("paused")
  t.expect(err.phase).equals("Staging")
  t.expect(t.requests{ route = "phase-start" }).has_length(0)
end)

test("until_phase stops once that phase is rolled out", { dialect = "both", approvals = approved_soon() },
  function(t)
  local result = promote.run{ flag = FLAG, until_phase = "Staging" }
  t.expect(result.status).equals("ready")
  t.expect(result.started).equals({ "Testing", "Staging" })
  t.expect(t.started_phases(FLAG)).equals({ "Testing", "Staging" })
  t.expect(promote.done(result.release, "Staging")).is_true()
  t.expect(promote.done(result.release, "Production")).is_false()
  t.expect(t.requests{ route = "phase-start", path = phase_id(result.release, "Production") }).has_length(0)
  -- Run again to the end: only Production is left.
  local rest = promote.run{ flag = FLAG }
  t.expect(rest.started).equals({ "Production" })
  t.expect(rest.status).equals("complete")
end)

test("until_phase names an unknown phase", { dialect = "both" }, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, until_phase = "Canary" })
  t.expect(err.code).equals("not_found")
  t.expect(err.message).equals("the release has no phase 'Canary'")
  t.expect(t.requests{ route = "phase-start" }).has_length(0)
end)

test("three 503s are retried and the promotion succeeds", {
  dialect = "both",
  faults = "release-get:count=3:status=503",
  approvals = approved_soon(),
}, function(t)
  local result = promote.run{ flag = FLAG }
  t.expect(result.status).equals("complete")
  t.expect(t.requests{ status = 503 }).has_length(3)
  t.expect(t.requests{ route = "release-get", status = 503 }).has_length(3)
  t.expect(t.started_phases(FLAG)).equals(ALL)
end)

test("503s on phase starts never start a phase twice", {
  dialect = "both",
  faults = "phase-start:count=3:status=503",
  approvals = approved_soon(),
}, function(t)
  local result = promote.run{ flag = FLAG }
  t.expect(result.status).equals("complete")
  t.expect(t.requests{ route = "phase-start", status = 503 }).has_length(3)
  t.expect(t.started_phases(FLAG)).equals(ALL)
  -- No start was refused: none was a repeat, and each was sent with its dialect's value.
  t.expect(t.requests{ route = "phase-start", status = 400 }).has_length(0)
end)

test("running it twice is idempotent: the second run starts nothing", {
  dialect = "both", approvals = approved_soon(),
}, function(t)
  local first = promote.run{ flag = FLAG, pipeline = "standard" }
  t.expect(first.status).equals("complete")
  local writes = #t.requests{ method = "PUT" }
  local second = promote.run{ flag = FLAG, pipeline = "standard" }
  t.expect(second.status).equals("complete")
  t.expect(second.created).is_false()
  t.expect(second.started).equals({})
  t.expect(#t.requests{ method = "PUT" }).equals(writes)
  t.expect(t.started_phases(FLAG)).equals(ALL)
end)

test("on_event reports each step in order", { dialect = "both", approvals = approved_soon() }, function(t)
  local events = {}
  promote.run{
    flag = FLAG,
    on_event = function(event, info)
      t.expect(info.flag).equals(FLAG)
      t.expect(info.release.phases).exists()
      events[#events + 1] = event .. (info.phase and (" " .. info.phase._name) or "")
    end,
  }
  t.expect(events[1]).equals("created")
  t.expect(events[#events]).equals("done")
  t.expect(events).contains("started Testing")
  t.expect(events).contains("started Staging")
  t.expect(events).contains("waiting Staging")
  t.expect(events).contains("completed Staging")
  t.expect(events).contains("started Production")
  t.expect(events).contains("waiting Production")
  t.expect(events).contains("completed Production")
end)

test("the variation is chosen by name, value or id", { dialect = "both" }, function(t)
  promote.run{ flag = FLAG, variation = "old checkout", until_phase = "Testing" }
  t.expect(t.requests{ route = "release-create" }[1].body.releaseVariationId).equals("65a1f0c2e4b0a1b2c3d4v002")
  t.expect(promote.resolve_variation(FLAG, true)).equals("65a1f0c2e4b0a1b2c3d4v001")
  t.expect(promote.resolve_variation(FLAG, "65a1f0c2e4b0a1b2c3d4v002")).equals("65a1f0c2e4b0a1b2c3d4v002")
end)

test("audience overrides go with the phase start", { dialect = "both", approvals = approved_soon() },
  function(t)
    promote.run{
      flag = FLAG,
      audiences = {
        staging = { guardian = { rolloutWeight = 10 } },
        Production = { notify_teams = { "on-call" } },
      },
    }
    local rel = t.release(FLAG)
    local staging = t.requests{ route = "phase-start", path = phase_id(rel, "Staging"), status = 200 }[1]
    local guardian = staging.body.audiences[1].releaseGuardianConfiguration
    t.expect(guardian.rolloutWeight).equals(10)
    t.expect(guardian.monitoringWindowMilliseconds).equals(60000) -- kept from the pipeline
    local production = t.requests{ route = "phase-start", path = phase_id(rel, "Production"), status = 200 }[1]
    t.expect(production.body.audiences[1].notifyTeamKeys).equals({ "on-call" })
    t.expect(production.body.audiences[1].notifyMemberIds).equals({ "65a1f0c2e4b0a1b2c3d4m001" })
    -- Testing has no guarded or approval audience: nothing sent with its start.
    local testing = t.requests{ route = "phase-start", path = phase_id(rel, "Testing"), status = 200 }[1]
    t.expect(testing.body.audiences).is_nil()
  end)

test("the flag is already on another pipeline", {
  dialect = "both", releases = { [FLAG] = { pipeline = "fast-track" } },
}, function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, pipeline = "standard" })
  t.expect(err.code).equals("pipeline_mismatch")
  t.expect(err.flag).equals(FLAG)
  t.expect(err.message).contains("'fast-track'")
  t.expect(t.requests{ method = "PUT" }).has_length(0)
end)

test("an unknown pipeline is not_found and nothing is created", function(t)
  local err = t.expect_error(promote.run, { flag = FLAG, pipeline = "nope" })
  t.expect(err.code).equals("not_found")
  t.expect(err.message).contains("no release pipeline 'nope'")
  t.expect(err.message).contains("standard, fast-track")
  t.expect(t.requests{ route = "release-create" }).has_length(0)
end)

test("bad options give bad_argument errors", function(t)
  local function message(opts)
    local err = t.expect_error(promote.run, opts)
    t.expect(err.code).equals("bad_argument")
    return err.message
  end
  t.expect(message(nil)).contains("bad argument #1 to 'promote.run' (options table expected, got nil)")
  t.expect(message({})).contains("bad option 'flag' to 'promote.run' (flag key expected, got nil)")
  t.expect(message({ flag = "" })).contains("bad option 'flag'")
  t.expect(message({ flag = FLAG, gate = "yes" }))
    .contains("bad option 'gate' to 'promote.run' (\"confirm\", a function or false expected, got string)")
  t.expect(message({ flag = FLAG, on_event = "print" }))
    .contains("bad option 'on_event' to 'promote.run' (function expected, got string)")
  t.expect(message({ flag = FLAG, timeout = "1 fortnight" })).contains("bad option 'timeout' to 'promote.run' (")
  t.expect(message({ flag = FLAG, every = -5 })).contains("bad option 'every' to 'promote.run' (")
  t.expect(message({ flag = FLAG, backoff = 0.5 })).contains("bad option 'backoff' to 'promote.run' (a number from 1 to 10")
  t.expect(message({ flag = FLAG, timeouts = { Production = "8 hours" } }))
    .contains("bad option 'timeouts.Production' to 'promote.run' (")
  t.expect(message({ flag = FLAG, timeouts = "8h" })).contains("bad option 'timeouts' to 'promote.run' (table")
  -- Checked before anything is sent.
  t.expect(t.requests()).has_length(0)
end)

test("remaining, done and phases_named read a release", { dialect = "both",
  releases = { [FLAG] = { completed = "Testing", started = "Staging" } } }, function(t)
  local rel = release.get(FLAG)
  local names = {}
  for _, ph in ipairs(promote.remaining(rel)) do
    names[#names + 1] = ph._name
  end
  t.expect(names).equals({ "Staging", "Production" })
  t.expect(promote.done(rel, "Testing")).is_true()
  t.expect(promote.done(rel, "Staging")).is_false()
  local named = promote.phases_named({ "PRODUCTION", phase_id(rel, "Testing") })
  t.expect(named(phase.find(rel, "Production"))).is_true()
  t.expect(named(phase.find(rel, "Testing"))).is_true()
  t.expect(named(phase.find(rel, "Staging"))).is_false()
  t.expect(promote.targets_production(phase.find(rel, "Production"))).is_true()
  t.expect(promote.requires_approval(phase.find(rel, "Production"))).is_true()
  t.expect(promote.requires_approval(phase.find(rel, "Staging"))).is_false()
end)

-- (What it costs in real time is measured by scripts/bench, not here.)
test("a 2-hour guarded rollout runs on the virtual clock", {
  dialect = "both", phase_duration = "2h", approvals = approved_soon(),
}, function(t)
  local result = promote.run{ flag = FLAG, timeout = "3h", every = "5m" }
  t.expect(result.status).equals("complete")
  t.expect(t.started_phases(FLAG)).equals(ALL)
  -- Staging's monitoring alone is 2 hours of virtual time.
  t.expect(t.elapsed()).at_least(2 * 3600)
end)

test("each phase wait reads the release once", { dialect = "spec", phase_duration = 0 }, function(t)
  local result = promote.run({ flag = "search-v2", pipeline = "fast-track", every = "10ms", quiet = true })
  t.expect(result.status).equals("complete")
  local phases = #result.release.phases
  -- One start and one read per phase; the read before the first start found no release.
  t.expect(t.requests({ route = "phase-start", status = 200 })).has_length(phases)
  t.expect(t.requests({ route = "release-get", status = 200 })).has_length(phases)
end)

-- Reads of the release while Staging's 10-minute guarded rollout runs, with `opts`.
local function reads_during_staging(t, opts)
  opts.flag = "search-v2"
  opts.until_phase = "Staging"
  opts.quiet = true
  promote.run(opts)
  return #t.requests({ route = "release-get", flag = "search-v2" })
end

test("a long wait reads the release less often as it goes on", { dialect = "both", phase_duration = "10m" },
  function(t)
    -- 5 s, then 1.5 times longer after each read, up to a minute: about 16 reads a 10-minute
    -- wait (in the spec dialect, Testing takes 10 minutes too), against 120 at a fixed 5 s.
    t.expect(reads_during_staging(t, {})).at_most(40)
  end)

test("with `every`, the interval stays fixed", { dialect = "both", phase_duration = "10m" }, function(t)
  -- Every 5 s for 10 minutes.
  t.expect(reads_during_staging(t, { every = "5s" })).at_least(100)
end)
