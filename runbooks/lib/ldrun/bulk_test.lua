-- Tests of ldrun.bulk: ldrun test --lib runbooks/lib runbooks/lib

local bulk = require "ldrun.bulk"

local THREE = { "dark-mode", "search-v2", "recommendations" }

local function outcomes(report)
  local list = {}
  for _, o in ipairs(report.outcomes) do
    list[#list + 1] = o.flag .. " " .. o.outcome
  end
  return list
end

test("promotes every flag of a list", { dialect = "both" }, function(t)
  local report = bulk.run{ flags = THREE, promote = { pipeline = "fast-track" } }
  t.expect(report.total).equals(3)
  t.expect(report.counts).equals({ done = 3, paused = 0, failed = 0, pending = 0 })
  t.expect(outcomes(report)).equals({ "dark-mode done", "search-v2 done", "recommendations done" })
  for _, o in ipairs(report.outcomes) do
    t.expect(o.status).equals("complete")
    t.expect(o.started).equals({ "Test", "Production" })
    t.expect(t.started_phases(o.flag)).equals({ "Test", "Production" })
  end
  t.expect(bulk.check(report)).equals(report)
end)

test("limit bounds how many flags move at once", { dialect = "both" }, function(t)
  -- Each flag spends at least 60 s in Staging's guarded rollout.
  local report = bulk.run{ flags = THREE, limit = 1, promote = { until_phase = "Staging", every = "10s" } }
  t.expect(report.counts.done).equals(3)
  t.expect(t.elapsed()).at_least(3 * 60)
end)

test("flags move in parallel up to the limit", { dialect = "both" }, function(t)
  local report = bulk.run{ flags = THREE, limit = 3, promote = { until_phase = "Staging", every = "10s" } }
  t.expect(report.counts.done).equals(3)
  t.expect(t.elapsed()).at_most(2 * 60 + 30)
  t.expect(bulk.default_limit).equals(8)
end)

test("until_phase is reported per flag", { dialect = "both" }, function(t)
  local report = bulk.run{ flags = { "dark-mode" }, promote = { until_phase = "Staging" } }
  local o = report.outcomes[1]
  t.expect(o.outcome).equals("done")
  t.expect(o.status).equals("ready")
  t.expect(o.until_phase).equals("Staging")
  t.expect(o.started).equals({ "Testing", "Staging" })
  t.expect(bulk.format(report)).matches("dark%-mode +done +complete up to 'Staging'")
end)

test("flags in one phase of a pipeline", {
  dialect = "both",
  releases = {
    ["new-checkout"] = {},
    ["fast-shipping"] = { started = "Testing" },
    ["dark-mode"] = { completed = "Testing" },
    ["search-v2"] = { completed = true },
    ["recommendations"] = { pipeline = "fast-track" },
  },
}, function(t)
  local in_testing = bulk.flags_in_phase("standard", "testing")
  table.sort(in_testing)
  t.expect(in_testing).equals({ "fast-shipping", "new-checkout" })
  t.expect(bulk.flags_in_phase("standard", "65a1f0c2e4b0a1b2c3d40002")).equals({ "dark-mode" })
  t.expect(bulk.flags_in_phase("standard", "Production")).equals({})
end)

test("pipeline and phase choose the flags to promote", {
  dialect = "both",
  releases = { ["new-checkout"] = {}, ["dark-mode"] = { completed = "Testing" } },
}, function(t)
  local report = bulk.run{ pipeline = "standard", phase = "Testing", promote = { until_phase = "Testing" } }
  t.expect(outcomes(report)).equals({ "new-checkout done" })
  t.expect(t.started_phases("new-checkout")).equals({ "Testing" })
  t.expect(t.started_phases("dark-mode")).equals({})
end)

test("an unknown phase is not_found and lists the phases", function(t)
  local err = t.expect_error(bulk.run, { pipeline = "standard", phase = "Canary" })
  t.expect(err.code).equals("not_found")
  t.expect(err.message).equals("pipeline 'standard' has no phase 'Canary' (phases: Testing, Staging, Production)")
end)

test("one flag's failure does not stop the others", {
  dialect = "both",
  releases = { ["search-v2"] = { pipeline = "fast-track" } },
  regress = { flag = "new-checkout", phase = "Staging", after = "30s" },
}, function(t)
  local seen = {}
  local report = bulk.run{
    flags = { "new-checkout", "dark-mode", "search-v2" },
    promote = { pipeline = "standard", until_phase = "Staging" },
    on_outcome = function(outcome, so_far)
      seen[#seen + 1] = outcome.flag
      t.expect(so_far.total).equals(3)
    end,
  }
  t.expect(outcomes(report)).equals({ "new-checkout paused", "dark-mode done", "search-v2 failed" })
  t.expect(report.counts).equals({ done = 1, paused = 1, failed = 1, pending = 0 })
  local paused, failed = report.outcomes[1], report.outcomes[3]
  t.expect(paused.code).equals("paused")
  t.expect(paused.phase).equals("Staging")
  t.expect(failed.code).equals("pipeline_mismatch")
  t.expect(failed.reason).contains("'fast-track'")
  t.expect(#seen).equals(3)
  t.expect(seen).contains("search-v2")

  local text = bulk.format(report)
  t.expect(text).matches("^FLAG +OUTCOME +PHASE +REASON\n")
  t.expect(text).matches("\nnew%-checkout +paused +Staging +the guarded rollout of phase 'Staging' regressed")
  t.expect(text).matches("\n3 flags: 1 done, 1 paused, 1 failed$")

  local err = t.expect_error(bulk.check, report)
  t.expect(err.code).equals("bulk_incomplete")
  t.expect(err.message).equals("2 of 3 flags did not finish (1 paused, 1 failed, 0 not started)")
  t.expect(err.counts.paused).equals(1)
end)

test("running it again leaves finished flags alone", { dialect = "both" }, function(t)
  bulk.run{ flags = THREE, promote = { pipeline = "fast-track" }, quiet = true }
  local starts = #t.requests{ route = "phase-start" }
  local again = bulk.run{ flags = THREE, promote = { pipeline = "fast-track" }, quiet = true }
  t.expect(again.counts.done).equals(3)
  for _, o in ipairs(again.outcomes) do
    t.expect(o.started).equals({})
  end
  t.expect(#t.requests{ route = "phase-start" }).equals(starts)
end)

test("duplicate flags are promoted once", { dialect = "both" }, function(t)
  local report = bulk.run{ flags = { "dark-mode", "dark-mode", "search-v2" }, promote = { pipeline = "fast-track" } }
  t.expect(outcomes(report)).equals({ "dark-mode done", "search-v2 done" })
  t.expect(t.requests{ route = "release-create", flag = "dark-mode" }).has_length(1)
end)

test("an empty list promotes nothing", function(t)
  local report = bulk.run{ flags = {} }
  t.expect(report.total).equals(0)
  t.expect(report.outcomes).equals({})
  t.expect(t.requests()).has_length(0)
  t.expect(bulk.format(report)).contains("0 flags: 0 done, 0 paused, 0 failed")
end)

test("format counts flags not started", function(t)
  local report = {
    total = 2,
    counts = { done = 1, paused = 0, failed = 0, pending = 1 },
    outcomes = { { flag = "a", outcome = "done", status = "complete" }, { flag = "b", outcome = "pending" } },
  }
  t.expect(bulk.format(report)).matches("\n2 flags: 1 done, 0 paused, 0 failed, 1 not started$")
  t.expect(t.expect_error(bulk.check, report).message).contains("1 not started")
end)

test("bad options give bad_argument errors", function(t)
  local function message(opts)
    local err = t.expect_error(bulk.run, opts)
    t.expect(err.code).equals("bad_argument")
    return err.message
  end
  t.expect(message(nil)).contains("bad argument #1 to 'bulk.run' (options table expected, got nil)")
  t.expect(message({})).contains("(give 'flags', or 'pipeline' and 'phase')")
  t.expect(message({ pipeline = "standard" })).contains("(give 'flags', or 'pipeline' and 'phase')")
  t.expect(message({ flags = "dark-mode" }))
    .contains("bad option 'flags' to 'bulk.run' (list of flag keys expected, got string)")
  t.expect(message({ flags = { "dark-mode" }, limit = 0 }))
    .contains("bad option 'limit' to 'bulk.run' (positive integer expected, got 0)")
  t.expect(message({ flags = { "dark-mode" }, limit = 1.5 })).contains("got 1.5")
  t.expect(message({ flags = { "dark-mode", 7 } }))
    .contains("bad option 'flags' to 'bulk.run' (flag key expected at [2], got number)")
  t.expect(message({ flags = { "" } })).contains("flag key expected at [1], got string")
  t.expect(t.requests()).has_length(0)
end)
