-- Per-call benchmarks, run by scripts/bench both under ldrun and under the stand-alone
-- lua5.4 (with lua-cjson), so each figure has its baseline from the same code:
--
--   ldrun run micro.lua -a case=CASE -a n=N [-a file=DOC]
--   lua5.4 micro.lua case=CASE n=N [file=DOC]
--
-- Prints one line: the CPU time of one call in microseconds (os.clock() around N calls,
-- after one untimed warm-up round of N / 10 calls).
--
-- Cases: decode, encode (a JSON document given as `file`), hostcall (ldrun.duration(5)
-- against math.abs), next and status (phase.next and release.status on a 10-phase
-- release table against the same rules written in plain Lua).

local options = {}
if rawget(_G, "ldrun") then
  for k, v in pairs(args) do
    options[k] = v
  end
else
  for _, a in ipairs(arg) do
    local k, v = a:match("^([^=]+)=(.*)$")
    if k then
      options[k] = v
    end
  end
end

local in_ldrun = rawget(_G, "ldrun") ~= nil
local case = options.case or error("case= is required")
local n = math.tointeger(tonumber(options.n or "1000")) or error("n= must be an integer")

local decode, encode
if in_ldrun then
  decode, encode = json.decode, json.encode
else
  local cjson = require "cjson"
  decode, encode = cjson.decode, cjson.encode
end

-- An empty list that stays a list (ldrun reads an empty table as an object).
local function empty_list()
  return in_ldrun and json.array({}) or {}
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

-- A release of a 10-phase pipeline in the observed dialect: five phases completed, the
-- sixth active (rolled out: no approval, no guarded audience), four not started.
local function release_table()
  local phases = {}
  for i = 1, 10 do
    local status = i <= 5 and "completed" or i == 6 and "active" or i == 7 and "ready-to-start" or "not-started"
    local id = string.format("65a1f0c2e4b0a1b2c3d4%04d", i)
    phases[i] = {
      _id = id,
      _name = "Phase " .. i,
      status = status,
      complete = i <= 5,
      started = i <= 6,
      _creationDate = 1700000000000 + i,
      _startedDate = i <= 6 and 1700000100000 + i or nil,
      _completionDate = i <= 5 and 1700000200000 + i or nil,
      configuration = {},
      _audiences = {
        {
          _id = id .. "a",
          name = "Audience " .. i,
          status = i <= 5 and "completed" or i == 6 and "active" or "not-started",
          environment = { key = "env-" .. i, name = "Environment " .. i, color = "7B42BC",
            _links = { self = { href = "/api/v2/projects/web/environments/env-" .. i, type = "application/json" } } },
          configuration = { releaseStrategy = "", requireApproval = false, notifyMemberIds = empty_list(),
            notifyTeamKeys = empty_list() },
          segmentKeys = { "beta-testers" },
        },
      },
    }
  end
  return {
    name = "Ten phases",
    releasePipelineKey = "ten",
    releasePipelineDescription = "ten phases for the benchmark",
    _version = 6,
    _releaseVariationId = "65a1f0c2e4b0a1b2c3d4v001",
    phases = phases,
    _links = { self = { href = "/api/v2/flags/web/checkout/release", type = "application/json" } },
    _project = "web",
    _flag = "checkout",
  }
end

-- The selection rules of docs/lua-api.md, in plain Lua, for the baseline.
local completes = { Complete = true, completed = true }
local starts = { Started = true, active = true, Paused = true, paused = true }
local pauses = { Paused = true, paused = true }
local known = {
  NotStarted = true, ["not-started"] = true, ReadyToStart = true, ["ready-to-start"] = true,
  Started = true, active = true, Paused = true, paused = true, Complete = true, completed = true,
}

local function is_complete(p)
  return p.complete == true or completes[p.status] == true
end

local function is_started(p)
  if is_complete(p) then
    return false
  end
  if known[p.status] then
    return starts[p.status] == true
  end
  return p.started == true
end

local function plain_next(rel)
  for _, p in ipairs(rel.phases) do
    if not is_complete(p) and not is_started(p) then
      return p
    end
  end
  return nil
end

local function rolled_out(rel, p)
  if is_complete(p) then
    return true
  end
  if not is_started(p) or pauses[p.status] then
    return false
  end
  for _, a in ipairs(p._audiences or {}) do
    local c = a.configuration or {}
    if c.requireApproval and not (rel._flagOn and a.environment and rel._flagOn[a.environment.key]) then
      return false
    end
    if c.releaseGuardianConfiguration and not completes[a.status] then
      return false
    end
  end
  return p._audiences ~= nil
end

local function plain_status(rel)
  if rel._canceledAt then
    return "canceled"
  end
  local phases = rel.phases
  local all, earlier = true, true
  for i, p in ipairs(phases) do
    if not is_complete(p) then
      all = false
      if i < #phases then
        earlier = false
      end
    end
  end
  if all or (earlier and rolled_out(rel, phases[#phases])) then
    return "complete"
  end
  local active, any_complete = nil, false
  for _, p in ipairs(phases) do
    if is_started(p) and pauses[p.status] then
      return "paused"
    end
    if not active and is_started(p) then
      active = p
    end
    any_complete = any_complete or is_complete(p)
  end
  if active then
    return rolled_out(rel, active) and "ready" or "in_progress"
  end
  return any_complete and "ready" or "not_started"
end

local body
if case == "decode" then
  local text = read_file(options.file or error("file= is required"))
  body = function() return decode(text) end
elseif case == "encode" then
  local value = decode(read_file(options.file or error("file= is required")))
  body = function() return encode(value) end
elseif case == "hostcall" then
  if in_ldrun then
    local d = ldrun.duration
    body = function() return d(5) end
  else
    local abs = math.abs
    local i = 0
    body = function()
      i = i + 1
      return abs(-i)
    end
  end
elseif case == "next" or case == "status" then
  local rel = release_table()
  if in_ldrun then
    local f = case == "next" and phase.next or release.status
    body = function() return f(rel) end
  else
    local f = case == "next" and plain_next or plain_status
    body = function() return f(rel) end
  end
  -- Both sides must give the same answer.
  local answer = body()
  local expected = case == "next" and "Phase 7" or "ready"
  local got = type(answer) == "table" and answer._name or answer
  assert(got == expected, case .. ": expected " .. expected .. ", got " .. tostring(got))
else
  error("unknown case " .. case)
end

for _ = 1, math.max(1, n // 10) do
  body()
end
local started = os.clock()
for _ = 1, n do
  body()
end
local elapsed = os.clock() - started
print(string.format("%.4f", elapsed / n * 1e6))
