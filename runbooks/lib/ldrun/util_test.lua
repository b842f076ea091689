-- Tests of ldrun.util: ldrun test --lib runbooks/lib runbooks/lib

local util = require "ldrun.util"

test("new_error builds an error table that prints readably", function(t)
  local e = util.new_error("paused", "the rollout regressed", { flag = "new-checkout", phase = "Staging",
    hint = "resume it" })
  t.expect(e.code).equals("paused")
  t.expect(e.message).equals("the rollout regressed")
  t.expect(e.flag).equals("new-checkout")
  t.expect(tostring(e)).equals("new-checkout [Staging]: paused: the rollout regressed (resume it)")
  t.expect(tostring(util.new_error("x", "y"))).equals("x: y")
  t.expect(tostring(util.new_error("x", "y", { flag = "f" }))).equals("f: x: y")
end)

test("fail raises the error value", function(t)
  local err = t.expect_error(util.fail, "gate_declined", "no", { flag = "dark-mode" })
  t.expect(err.code).equals("gate_declined")
  t.expect(err.message).equals("no")
  t.expect(err.flag).equals("dark-mode")
  t.expect(tostring(err)).equals("dark-mode: gate_declined: no")
end)

test("bad_argument raises a host-style bad_argument error located at the caller", function(t)
  local function check(x)
    if type(x) ~= "string" then
      util.bad_argument("bad argument #1 to 'check' (string expected, got " .. type(x) .. ")", 2)
    end
    return x
  end
  t.expect(check("ok")).equals("ok")
  local err = t.expect_error(function() check(42) end)
  t.expect(err.code).equals("bad_argument")
  t.expect(err.message).equals("bad argument #1 to 'check' (string expected, got number)")
  t.expect(err.where).matches("util_test%.lua:%d+")
end)

test("error_code and error_message read any error value", function(t)
  t.expect(util.error_code({ code = "timeout", message = "late" })).equals("timeout")
  t.expect(util.error_code("plain text")).equals("error")
  t.expect(util.error_code({ message = "no code" })).equals("error")
  t.expect(util.error_code(nil)).equals("error")
  t.expect(util.error_message({ code = "timeout", message = "late" })).equals("timeout: late")
  t.expect(util.error_message({ message = "only a message" })).equals("only a message")
  t.expect(util.error_message(util.new_error("c", "m", { flag = "f" }))).equals("f: c: m")
  t.expect(util.error_message("first line\nstack traceback:\n\t...")).equals("first line")
  t.expect(util.error_message(42)).equals("42")
  -- A host error as pcall gives it.
  local ok, err = pcall(release.get, {})
  t.expect(ok).is_false()
  t.expect(util.error_code(err)).equals("bad_argument")
  t.expect(util.error_message(err)).matches("bad argument")
end)

test("seconds converts numbers and strings with units", function(t)
  t.expect(util.seconds(90)).equals(90)
  t.expect(util.seconds(0.5)).equals(0.5)
  t.expect(util.seconds("90")).equals(90)
  t.expect(util.seconds("90s")).equals(90)
  t.expect(util.seconds("5m")).equals(300)
  t.expect(util.seconds("1h30m")).equals(5400)
  t.expect(util.seconds("7d")).equals(7 * 86400)
  t.expect(util.seconds("500ms")).equals(0.5)
  t.expect(util.seconds("1.5m")).equals(90)
  t.expect(util.seconds(" 2h ")).equals(7200)
  t.expect(util.seconds("1d2h3m4s")).equals(86400 + 7200 + 180 + 4)
end)

test("seconds refuses what is not a duration", function(t)
  for _, bad in ipairs({ "", "5x", "1m30", "m", "five minutes", "5 minutes" }) do
    local err = t.expect_error(util.seconds, bad)
    t.expect(err.code).equals("bad_argument")
    t.expect(err.message).contains("invalid duration '" .. bad .. "'")
  end
  local err = t.expect_error(util.seconds, { 5 })
  t.expect(err.code).equals("bad_argument")
  t.expect(err.message).equals("duration expected (seconds or a string like \"5m\"), got table")
  t.expect(t.expect_error(util.seconds, nil).message).contains("got nil")
  for _, negative in ipairs({ -5, "-5", 1 / 0, 0 / 0 }) do
    t.expect(t.expect_error(util.seconds, negative).code).equals("bad_argument")
  end
end)

test("phase helpers read release phases", function(t)
  local rel = release.create("new-checkout", "standard")
  local testing, staging, production = rel.phases[1], rel.phases[2], rel.phases[3]
  t.expect(util.phase_name(staging)).equals("Staging")
  t.expect(util.phase_id(staging)).equals("65a1f0c2e4b0a1b2c3d40002")
  t.expect(util.audiences(staging)).has_length(1)
  t.expect(util.environments(testing)).equals({ "test" })
  t.expect(util.environments(production)).equals({ "production" })
  t.expect(util.targets_production(production)).is_true()
  t.expect(util.targets_production(staging)).is_false()
  t.expect(util.requires_approval(production)).is_true()
  t.expect(util.requires_approval(testing)).is_false()
  t.expect(util.is_guarded(staging)).is_true()
  t.expect(util.is_guarded(production)).is_false()
  t.expect(util.is_guarded(testing)).is_false()
end)

test("phase helpers read pipeline phases", function(t)
  local p = pipeline.get("standard")
  local testing, staging, production = p.phases[1], p.phases[2], p.phases[3]
  t.expect(util.phase_name(testing)).equals("Testing")
  t.expect(util.phase_id(production)).equals("65a1f0c2e4b0a1b2c3d40003")
  t.expect(util.environments(staging)).equals({ "staging" })
  t.expect(util.targets_production(production)).is_true()
  t.expect(util.requires_approval(production)).is_true()
  t.expect(util.is_guarded(staging)).is_true()
end)

test("phase helpers on hand-made phases", function(t)
  t.expect(util.phase_name({ _id = "abc" })).equals("abc")
  t.expect(util.phase_name({})).equals("?")
  t.expect(util.audiences({})).equals({})
  t.expect(util.environments({ audiences = { { environmentKey = "prod-eu" } } })).equals({ "prod-eu" })
  -- "prod" in an environment's key or name counts as production, in any case.
  t.expect(util.targets_production({ audiences = { { environmentKey = "prod-eu" } } })).is_true()
  t.expect(util.targets_production({ _audiences = { { environment = { key = "live", name = "PRODUCTION" } } } }))
    .is_true()
  t.expect(util.targets_production({ _audiences = { { environment = { key = "staging", name = "Staging" } } } }))
    .is_false()
  t.expect(util.is_guarded({ _audiences = { { configuration = { releaseGuardianConfiguration = json.null } } } }))
    .is_false()
  t.expect(util.requires_approval({ _audiences = { { configuration = { requireApproval = false } } } })).is_false()
end)

test("present tells values from nil and json.null", function(t)
  t.expect(util.present(nil)).is_false()
  t.expect(util.present(json.null)).is_false()
  t.expect(util.present(false)).is_true()
  t.expect(util.present(0)).is_true()
  t.expect(util.present({})).is_true()
end)

test("for_phase looks up by id, then name in any case", function(t)
  local ph = { _id = "65a1f0c2e4b0a1b2c3d40003", _name = "Production" }
  t.expect(util.for_phase({ ["65a1f0c2e4b0a1b2c3d40003"] = "by id", Production = "by name" }, ph)).equals("by id")
  t.expect(util.for_phase({ Production = "by name" }, ph)).equals("by name")
  t.expect(util.for_phase({ production = "lower" }, ph)).equals("lower")
  t.expect(util.for_phase({ PRODUCTION = "upper" }, ph)).equals("upper")
  t.expect(util.for_phase({ Staging = "other" }, ph)).is_nil()
  t.expect(util.for_phase(nil, ph)).is_nil()
  t.expect(util.for_phase({ Production = false }, ph)).is_false()
end)

test("items reads bare lists and collection objects", function(t)
  t.expect(util.items({ items = { 1, 2 }, totalCount = 2 })).equals({ 1, 2 })
  t.expect(util.items({ "a", "b" })).equals({ "a", "b" })
  t.expect(util.items(nil)).equals({})
  t.expect(util.items("x")).equals({})
  t.expect(util.items(pipeline.releases("standard"))).equals({})
  t.expect(#util.items(pipeline.list())).equals(2)
end)

test("format_table aligns columns and trims the ends of lines", function(t)
  local text = util.format_table({ "FLAG", "N", "NOTE" }, {
    { "dark-mode", 1, "" },
    { "x", 10, nil },
    { "café", true, "ok" },
  })
  t.expect(text).equals(table.concat({
    "FLAG       N     NOTE",
    "---------  ----  ----",
    "dark-mode  1",
    "x          10",
    "café       true  ok",
  }, "\n"))
  t.expect(util.format_table({ "A", "B" }, {})).equals("A  B\n-  -")
end)

test("format_time formats epoch milliseconds in UTC", function(t)
  t.expect(util.format_time(1767225600000)).equals("2026-01-01 00:00")
  t.expect(util.format_time(1767225600000 + 90 * 60 * 1000 + 999)).equals("2026-01-01 01:30")
  t.expect(util.format_time(nil)).equals("")
  t.expect(util.format_time("soon")).equals("")
end)
