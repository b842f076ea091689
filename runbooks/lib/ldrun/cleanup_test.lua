-- Tests of ldrun.cleanup: ldrun test --lib runbooks/lib runbooks/lib

local cleanup = require "ldrun.cleanup"
local promote = require "ldrun.promote"

-- Two completed releases on `standard`, one still going, one completed on `fast-track`.
local DONE = {
  ["dark-mode"] = { completed = true },
  ["search-v2"] = { completed = true },
  ["new-checkout"] = { completed = "Testing", started = "Staging" },
  ["recommendations"] = { pipeline = "fast-track", completed = true },
}

local function actions(result)
  local list = {}
  for _, entry in ipairs(result.entries) do
    list[entry.flag] = entry.action .. (entry.reason and (": " .. entry.reason) or "")
  end
  return list
end

test("removes the completed releases of the pipeline", { dialect = "both", releases = DONE }, function(t)
  local result = cleanup.run{ pipeline = "standard" }
  t.expect(result.pipeline).equals("standard")
  t.expect(result.dry_run).is_false()
  t.expect(actions(result)).equals({ ["dark-mode"] = "removed", ["search-v2"] = "removed" })
  t.expect(result.entries[1].flag).equals("dark-mode") -- sorted by flag key
  t.expect(result.entries[1].completed_at).exists()
  t.expect(result.counts).equals({ removed = 2, ["would remove"] = 0, kept = 0, failed = 0 })
  t.expect(t.requests{ route = "release-delete", status = 204 }).has_length(2)
  t.expect(t.release("dark-mode")).is_nil()
  t.expect(t.release("search-v2")).is_nil()
  -- The release in progress and the other pipeline's are untouched.
  t.expect(t.release("new-checkout")).exists()
  t.expect(t.release("recommendations")).exists()
  t.expect(t.requests{ route = "pipeline-releases" }[1].query).contains("status:completed")
end)

test("each removal is journalled", { releases = DONE }, function(t)
  cleanup.run{ pipeline = "standard" }
  local deletes = {}
  for _, record in ipairs(t.journal()) do
    if record.operation == "release.delete" then
      deletes[#deletes + 1] = record.flag .. " " .. record.outcome
    end
  end
  table.sort(deletes)
  t.expect(deletes).equals({ "dark-mode ok", "search-v2 ok" })
end)

test("a release promoted to the end is cleaned up", { dialect = "both" }, function(t)
  promote.run{ flag = "dark-mode", pipeline = "fast-track", quiet = true }
  local result = cleanup.run{ pipeline = "fast-track" }
  t.expect(actions(result)).equals({ ["dark-mode"] = "removed" })
  t.expect(t.release("dark-mode")).is_nil()
end)

test("the keep list is never removed", { releases = DONE }, function(t)
  local result = cleanup.run{ pipeline = "standard", keep = { "search-v2" } }
  t.expect(actions(result)).equals({ ["dark-mode"] = "removed", ["search-v2"] = "kept: in the keep list" })
  t.expect(result.counts.kept).equals(1)
  t.expect(t.requests{ route = "release-delete", flag = "search-v2" }).has_length(0)
  t.expect(t.release("search-v2")).exists()
end)

test("dry_run plans and removes nothing", { releases = DONE }, function(t)
  local result = cleanup.run{ pipeline = "standard", dry_run = true }
  t.expect(result.dry_run).is_true()
  t.expect(actions(result)).equals({ ["dark-mode"] = "would remove", ["search-v2"] = "would remove" })
  t.expect(result.counts["would remove"]).equals(2)
  t.expect(t.requests{ method = "DELETE" }).has_length(0)
  t.expect(t.release("dark-mode")).exists()
  t.expect(cleanup.format(result)).contains("dry run: 2 releases would be removed from 'standard', 0 kept")
end)

test("older_than = 0 removes everything completed", { releases = DONE }, function(t)
  sleep("1m")
  t.expect(cleanup.run{ pipeline = "standard", older_than = 0 }.counts.removed).equals(2)
end)

test("older_than keeps releases completed more recently", { releases = DONE }, function(t)
  local result = cleanup.run{ pipeline = "standard", older_than = "3650d" }
  t.expect(actions(result)).equals({ ["dark-mode"] = "kept: completed too recently",
    ["search-v2"] = "kept: completed too recently" })
  t.expect(t.requests{ method = "DELETE" }).has_length(0)
end)

test("older_than compares with the time now", { releases = DONE }, function(t)
  -- cleanup computes its cutoff from os.time(); in a test that must be the virtual clock's time.
  local virtual_now = 1767225600 + t.elapsed()
  if math.abs(os.time() - virtual_now) > 60 then
    t.skip("os.time() is not on the test's virtual clock (it reads " .. os.date("!%Y-%m-%d", os.time()) .. ")")
  end
  sleep("2h")
  local result = cleanup.run{ pipeline = "standard", older_than = "1h" }
  t.expect(result.counts.removed).equals(2)
  local again = cleanup.run{ pipeline = "fast-track", older_than = "7d" }
  t.expect(actions(again)).equals({ recommendations = "kept: completed too recently" })
end)

test("a release gone since the list was read is kept as already removed", {
  releases = DONE, faults = "release-get:flag=dark-mode:status=404",
}, function(t)
  local result = cleanup.run{ pipeline = "standard" }
  t.expect(actions(result)).equals({ ["dark-mode"] = "kept: already removed", ["search-v2"] = "removed" })
  t.expect(t.requests{ route = "release-delete", flag = "dark-mode" }).has_length(0)
end)

test("a removal that fails is reported, the others go on", {
  releases = DONE, faults = "release-delete:flag=dark-mode:status=400",
}, function(t)
  local result = cleanup.run{ pipeline = "standard" }
  t.expect(result.entries[1].action).equals("failed")
  t.expect(result.entries[1].reason).contains("invalid_request")
  t.expect(result.entries[2].action).equals("removed")
  t.expect(result.counts).equals({ removed = 1, ["would remove"] = 0, kept = 0, failed = 1 })
  t.expect(cleanup.format(result)).contains("1 release removed from 'standard', 0 kept, 1 failed")
end)

test("format lists each release with its completion time", { releases = DONE }, function(t)
  local text = cleanup.format(cleanup.run{ pipeline = "standard", keep = { "dark-mode" } })
  t.expect(text).matches("^FLAG +COMPLETED %(UTC%) +ACTION +REASON\n")
  t.expect(text).matches("\ndark%-mode +2026%-01%-01 00:00 +kept +in the keep list\n")
  t.expect(text).matches("\nsearch%-v2 +2026%-01%-01 00:00 +removed\n")
  t.expect(text).matches("\n1 release removed from 'standard', 1 kept, 0 failed$")
end)

test("no completed releases: nothing to do", { releases = { ["new-checkout"] = { started = "Testing" } } },
  function(t)
    local result = cleanup.run{ pipeline = "standard" }
    t.expect(result.entries).equals({})
    t.expect(cleanup.format(result)).equals("no completed releases on 'standard'")
    t.expect(t.requests{ method = "DELETE" }).has_length(0)
  end)

test("bad options give bad_argument errors", function(t)
  local function message(opts)
    local err = t.expect_error(cleanup.run, opts)
    t.expect(err.code).equals("bad_argument")
    return err.message
  end
  t.expect(message(nil)).contains("bad argument #1 to 'cleanup.run' (options table expected, got nil)")
  t.expect(message({})).contains("bad option 'pipeline' to 'cleanup.run' (pipeline key expected, got nil)")
  t.expect(message({ pipeline = "" })).contains("bad option 'pipeline'")
  t.expect(message({ pipeline = "standard", keep = "dark-mode" }))
    .contains("bad option 'keep' to 'cleanup.run' (list of flag keys expected, got string)")
  t.expect(message({ pipeline = "standard", older_than = "a week" })).contains("invalid duration 'a week'")
  t.expect(t.requests{ method = "DELETE" }).has_length(0)
end)

test("an unknown pipeline is not_found", function(t)
  local err = t.expect_error(cleanup.run, { pipeline = "nope" })
  t.expect(err.code).equals("not_found")
  t.expect(err.status).equals(404)
end)
