-- Tests of ldrun.report: ldrun test --lib runbooks/lib runbooks/lib

local report = require "ldrun.report"

local TESTING, STAGING, PRODUCTION = "65a1f0c2e4b0a1b2c3d40001", "65a1f0c2e4b0a1b2c3d40002", "65a1f0c2e4b0a1b2c3d40003"
local START = 1767225600000 -- the virtual clock's start, 2026-01-01 00:00 UTC

-- Releases all over the standard pipeline (and one on fast-track, which the report leaves out).
local SPREAD = {
  ["search-v2"] = {},
  ["new-checkout"] = { completed = "Testing", started = "Staging" },
  ["fast-shipping"] = { completed = "Staging" },
  ["dark-mode"] = { completed = true },
  ["recommendations"] = { pipeline = "fast-track", started = "Test" },
}

local function flags_of(data)
  local list = {}
  for _, entry in ipairs(data.releases) do
    list[#list + 1] = entry.flag
  end
  return list
end

local function entry_for(data, flag_key)
  for _, entry in ipairs(data.releases) do
    if entry.flag == flag_key then
      return entry
    end
  end
  return nil
end

test("collect groups releases by phase, completed last", { dialect = "both", releases = SPREAD }, function(t)
  local data = report.collect("standard")
  t.expect(data.pipeline).equals({ key = "standard", name = "Standard release" })
  t.expect(data.counts).equals({ total = 4, active = 3, completed = 1 })
  t.expect(#data.phases).equals(3)
  t.expect(data.phases[1]).equals({ id = TESTING, name = "Testing", count = 1 })
  t.expect(data.phases[3].id).equals(PRODUCTION)
  t.expect(flags_of(data)[1]).equals("search-v2")
  t.expect(flags_of(data)[4]).equals("dark-mode")
  t.expect(flags_of(data)).contains("new-checkout")
  t.expect(flags_of(data)).contains("fast-shipping")
  t.expect(entry_for(data, "recommendations")).is_nil()

  local fresh = entry_for(data, "search-v2")
  t.expect(fresh.status).equals("not_started")
  t.expect(fresh.phase).equals("Testing")
  t.expect(fresh.phase_status).equals("ready")
  t.expect(fresh.since).equals(START)

  local done = entry_for(data, "dark-mode")
  t.expect(done.status).equals("complete")
  t.expect(done.phase).equals("Complete")
  t.expect(done.completed_at).equals(START)
  t.expect(done.phase_id).is_nil()

  local waiting = entry_for(data, "fast-shipping")
  t.expect(waiting.phase).equals("Production")
  t.expect(waiting.status).equals("ready")
  t.expect(waiting.phase_status).equals("ready")
end)

test("the state of a phase still running", { dialect = "both", releases = SPREAD }, function(t)
  local data = report.collect("standard")
  local entry = entry_for(data, "new-checkout")
  t.expect(entry.phase).equals("Staging")
  t.expect(entry.phase_id).equals(STAGING)
  t.expect(entry.status).equals("in_progress")
  t.expect(entry.phase_status).equals("active")
  t.expect(data.phases[2].count).equals(1)
end)

test("a phase whose rollout is over moves on", { dialect = "both", releases = SPREAD }, function(t)
  sleep("10m") -- past Staging's 60 s of monitoring
  local entry = entry_for(report.collect("standard"), "new-checkout")
  t.expect(entry.status).equals("ready")
  if t.release("new-checkout").phases[2].complete then
    -- spec: Staging completed by itself; the release stands in Production since then.
    t.expect(entry.phase).equals("Production")
    t.expect(entry.phase_status).equals("ready")
    t.expect(entry.since).equals(START + 60 * 1000)
  else
    -- observed: Staging stays active, rolled out, until Production starts.
    t.expect(entry.phase).equals("Staging")
    t.expect(entry.phase_status).equals("rolled_out")
    t.expect(entry.since).equals(START)
  end
end)

test("a paused release is reported as paused", {
  dialect = "both", releases = { ["new-checkout"] = { completed = "Testing", started = "Staging" } },
}, function(t)
  t.regress("new-checkout", "Staging")
  local entry = entry_for(report.collect("standard"), "new-checkout")
  t.expect(entry.status).equals("paused")
  t.expect(entry.phase_status).equals("paused")
  t.expect(entry.phase).equals("Staging")
end)

test("details = false reads no release", { dialect = "both", releases = SPREAD }, function(t)
  local data = report.collect("standard", { details = false })
  t.expect(t.requests{ route = "release-get" }).has_length(0)
  t.expect(t.requests()).has_length(2)
  local entry = entry_for(data, "new-checkout")
  t.expect(entry.status).equals("active")
  t.expect(entry.phase_status).is_nil()
  t.expect(entry_for(data, "dark-mode").status).equals("complete")
end)

test("details read each active release once, not the completed ones", { dialect = "both", releases = SPREAD },
  function(t)
    report.collect("standard")
    t.expect(t.requests{ route = "release-get" }).has_length(3)
    t.expect(t.requests{ route = "release-get", flag = "dark-mode" }).has_length(0)
  end)

test("include_complete = false leaves completed releases out of the list, not the counts", {
  dialect = "both", releases = SPREAD,
}, function(t)
  local data = report.collect("standard", { include_complete = false })
  t.expect(entry_for(data, "dark-mode")).is_nil()
  t.expect(data.releases).has_length(3)
  t.expect(data.counts.completed).equals(1)
end)

test("a release that cannot be read is marked with its error", {
  releases = SPREAD, faults = "release-get:flag=search-v2:status=400",
}, function(t)
  local data = report.collect("standard")
  local entry = entry_for(data, "search-v2")
  t.expect(entry.error).contains("invalid_request")
  t.expect(entry.status).equals("active")
  t.expect(entry_for(data, "new-checkout").error).is_nil()
  t.expect(report.format(data)).contains("? ")
end)

test("a release removed meanwhile is gone", { releases = SPREAD, faults = "release-get:flag=search-v2:status=404" },
  function(t)
    local data = report.collect("standard")
    t.expect(entry_for(data, "search-v2").status).equals("gone")
    -- A gone release does not count in its phase.
    t.expect(data.phases[1].count).equals(0)
  end)

test("format prints one group per phase", { releases = SPREAD }, function(t)
  local text = report.format(report.collect("standard"))
  local lines = {}
  for line in text:gmatch("[^\n]*") do
    lines[#lines + 1] = line
  end
  t.expect(lines[1]).equals("Pipeline standard (Standard release): 4 releases, 3 active, 1 complete")
  t.expect(text).contains("PHASE       FLAG           RELEASE      PHASE STATUS  SINCE (UTC)")
  t.expect(text).matches("\nTesting +search%-v2 +not_started +ready +2026%-01%-01 00:00")
  t.expect(text).matches("\nStaging +new%-checkout +in_progress +active +2026%-01%-01 00:00")
  t.expect(text).matches("\nProduction +fast%-shipping +ready +ready")
  t.expect(text).matches("\nComplete +dark%-mode +complete +2026%-01%-01 00:00$")
end)

test("format shows a phase with no release as -", function(t)
  local text = report.format(report.collect("fast-track"))
  t.expect(text).contains("Pipeline fast-track (Fast track): 0 releases, 0 active, 0 complete")
  t.expect(text).matches("\nTest +%-\n")
  t.expect(text).matches("\nProduction +%-$")
end)

test("json is the report as JSON, with [] for no releases", { releases = SPREAD }, function(t)
  local data = report.collect("standard")
  local decoded = json.decode(report.json(data))
  t.expect(decoded.counts).equals(data.counts)
  t.expect(#decoded.releases).equals(4)
  t.expect(decoded.releases[1].flag).equals("search-v2")
  t.expect(decoded.pipeline.key).equals("standard")
  t.expect(decoded.phases[2]).equals({ id = STAGING, name = "Staging", count = 1 })
end)

test("json writes an empty list of releases as []", { releases = { ["dark-mode"] = { completed = true } } },
  function(t)
    t.expect(report.json(report.collect("fast-track"))).matches('"releases": %[%]')
    local only_done = report.collect("standard", { include_complete = false })
    t.expect(report.json(only_done)).matches('"releases": %[%]')
    t.expect(json.decode(report.json(only_done)).counts.completed).equals(1)
  end)

test("collect refuses a missing pipeline key and an unknown pipeline", function(t)
  local err = t.expect_error(report.collect, nil)
  t.expect(err.code).equals("bad_argument")
  t.expect(err.message).contains("bad argument #1 to 'report.collect' (pipeline key expected, got nil)")
  local missing = t.expect_error(report.collect, "nope")
  t.expect(missing.code).equals("not_found")
  t.expect(missing.status).equals(404)
end)
