-- Checks one soak run from the simulator's request log, the run's journal and bulk
-- report, and the releases as the server has them at the end. Prints a summary, writes
-- it as JSON to `-a summary=FILE`, and exits 1 when a check failed.
--
--   ldrun run --project soak scripts/lib/soak/check.lua -a seed=S -a requests=R \
--     -a journal=J -a report=B -a output=O -a exit_status=0 -a wall=12.3 -a summary=FILE
--
-- Run it with the simulator's faults switched off: it reads every release once.

local function read_file(path)
  local file = assert(io.open(path, "r"))
  local text = file:read("a")
  file:close()
  return text
end

local function read_json(path)
  return json.decode(read_file(path))
end

local function present(value)
  return value ~= nil and value ~= json.null
end

local seed = read_json(args.seed)
local project = seed.projects[1]
local phases = project.pipelines[1].phases
local flags = {}
for i, f in ipairs(project.flags) do
  flags[i] = f.key
end

local failures = {}
local function fail(check, message)
  failures[#failures + 1] = { check = check, message = message }
end

-- Exit status and crash ---------------------------------------------------------------
local exit_status = math.tointeger(tonumber(args.exit_status or "")) or -1
if exit_status ~= 0 then
  fail("exit", string.format("the bulk run exited with status %d", exit_status))
end

-- The request log ----------------------------------------------------------------------
local log_items = read_json(args.requests).items
local faults = {}
local applied_starts, applied_creates = {}, {}
local statuses = {}
local per_second = {}
local first_time, last_time = nil, nil
for _, r in ipairs(log_items) do
  local t = r.time
  first_time = first_time and math.min(first_time, t) or t
  last_time = last_time and math.max(last_time, t) or t
  local second = t // 1000
  per_second[second] = (per_second[second] or 0) + 1
  if present(r.status) then
    statuses[r.status] = (statuses[r.status] or 0) + 1
  end
  if present(r.fault) then
    for action in tostring(r.fault):gmatch("[^,]+") do
      local kind = action:match("^latency=") and "latency" or action
      faults[kind] = (faults[kind] or 0) + 1
    end
  end
  local applied = r.processed == true and present(r.status) and r.status >= 200 and r.status < 300
  if applied and r.route == "phase-start" then
    local key = r.flagKey .. " " .. r.path:match("/phases/([^/?]+)$")
    applied_starts[key] = (applied_starts[key] or 0) + 1
  elseif applied and r.route == "release-create" then
    applied_creates[r.flagKey] = (applied_creates[r.flagKey] or 0) + 1
  end
end

-- Exactly once: each phase of each flag started once, each release created once.
local duplicates, missing = 0, 0
for _, key in ipairs(flags) do
  for _, ph in ipairs(phases) do
    local n = applied_starts[key .. " " .. ph.id] or 0
    if n > 1 then
      duplicates = duplicates + n - 1
      fail("exactly-once", string.format("phase '%s' of %s was started %d times", ph.name, key, n))
    elseif n == 0 then
      missing = missing + 1
      fail("exactly-once", string.format("phase '%s' of %s was never started", ph.name, key))
    end
  end
  local c = applied_creates[key] or 0
  if c ~= 1 then
    fail("exactly-once", string.format("the release of %s was created %d times", key, c))
  end
end

-- Retries, and no 429 storm. ldrun's rate limiter holds every request back after a 429
-- until its Retry-After has passed: so the same flag's next request to the same route
-- comes at least Retry-After later (routes that name no flag cannot be told apart by
-- task, and are left out), and hardly any request of any flag arrives while the client
-- should be waiting (those that do were already on their way: more than a few per 429
-- would be a storm).
local retried, rate_limited, shortest_gap = 0, 0, nil
local during_wait = 0
local slack = 250 -- ms for a request already sent when the 429 was answered to arrive
for i, r in ipairs(log_items) do
  local fault = present(r.fault) and tostring(r.fault) or ""
  local failed = fault:find("status=") or fault:find("retry%-after=") or fault:find("drop=")
  local next_one = nil
  if failed or r.status == 429 then
    for j = i + 1, #log_items do
      local s = log_items[j]
      if s.flagKey == r.flagKey and s.route == r.route then
        next_one = s
        break
      end
    end
  end
  if failed and next_one then
    retried = retried + 1
  end
  if r.status == 429 then
    rate_limited = rate_limited + 1
    local wait = tonumber(fault:match("retry%-after=(%d+)") or "0") * 1000
    local latency = ldrun.duration(fault:match("latency=([%w%.]+)") or 0) * 1000
    local answered = r.time + latency
    for j = i + 1, #log_items do
      local s = log_items[j]
      if s.time >= r.time + wait then break end
      if s.time > answered + slack then during_wait = during_wait + 1 end
    end
    if next_one and present(r.flagKey) then
      local gap = next_one.time - r.time
      shortest_gap = shortest_gap and math.min(shortest_gap, gap) or gap
      -- The log keeps milliseconds: allow for the rounding of both times.
      if gap < wait - 2 then
        fail("no-429-storm", string.format("%s %s was sent again %d ms after a 429 with Retry-After %d s",
          r.route, r.flagKey or "", gap, wait // 1000))
      end
    end
  end
end
if during_wait > rate_limited then
  fail("no-429-storm", string.format("%d requests arrived while the client should have been waiting out "
    .. "a Retry-After (%d 429s)", during_wait, rate_limited))
end
local busiest = 0
for _, n in pairs(per_second) do
  busiest = math.max(busiest, n)
end

-- The journal --------------------------------------------------------------------------
local journal_lines, invalid_lines = 0, 0
local journal_starts, journal_creates, journal_outcomes = {}, {}, {}
local end_record = nil
local token = os.getenv("LD_ACCESS_TOKEN")
local journal_text = read_file(args.journal)
for line in journal_text:gmatch("[^\n]+") do
  journal_lines = journal_lines + 1
  local ok, record = pcall(json.decode, line)
  if not ok or type(record) ~= "table" then
    invalid_lines = invalid_lines + 1
    fail("journal", "line " .. journal_lines .. " is not a JSON object: " .. line:sub(1, 80))
  else
    local op, outcome = record.operation, record.outcome
    journal_outcomes[tostring(op) .. ":" .. tostring(outcome)] =
      (journal_outcomes[tostring(op) .. ":" .. tostring(outcome)] or 0) + 1
    if op == "phase.start" and outcome == "ok" then
      local key = tostring(record.flag) .. " " .. tostring(record.phase)
      journal_starts[key] = (journal_starts[key] or 0) + 1
    elseif op == "release.create" and outcome == "ok" then
      journal_creates[record.flag] = (journal_creates[record.flag] or 0) + 1
    elseif op == "run" then
      end_record = record
    end
  end
end
if journal_text ~= "" and journal_text:sub(-1) ~= "\n" then
  fail("journal", "the last journal line is cut short")
end
for _, key in ipairs(flags) do
  for _, ph in ipairs(phases) do
    local n = journal_starts[key .. " " .. ph.name] or 0
    if n ~= 1 then
      fail("journal", string.format("%d 'ok' records for the start of phase '%s' of %s", n, ph.name, key))
    end
  end
  if (journal_creates[key] or 0) ~= 1 then
    fail("journal", string.format("%d 'ok' records for the creation of the release of %s",
      journal_creates[key] or 0, key))
  end
end
-- A run that wrote ends its journal with a `run` record: `done` for a run that finished.
if not end_record then
  fail("journal", "no end-of-run record")
elseif end_record.outcome ~= "done" then
  fail("journal", "the run record says " .. tostring(end_record.outcome))
end

-- The token never shows ----------------------------------------------------------------
if token and token ~= "" then
  local output = args.output and read_file(args.output) or ""
  if journal_text:find(token, 1, true) then
    fail("no-token", "the access token is in the journal")
  end
  if output:find(token, 1, true) then
    fail("no-token", "the access token is in the run's output")
  end
end

-- Every flag complete: the bulk report, and the releases as the server has them ---------
local report = read_json(args.report)
if report.counts.done ~= #flags then
  fail("complete", string.format("%d of %d flags done (%d failed, %d paused, %d pending)", report.counts.done,
    #flags, report.counts.failed, report.counts.paused, report.counts.pending))
  for _, o in ipairs(report.outcomes) do
    if o.outcome ~= "done" then
      fail("complete", string.format("%s: %s %s %s", o.flag, o.outcome, tostring(o.code), tostring(o.reason)))
    end
  end
end
local complete = 0
local results, errors = parallel(flags, function(key)
  local rel = release.get(key)
  return rel and release.status(rel) or "none"
end, { limit = 16 })
for i, key in ipairs(flags) do
  if results[i] == "complete" then
    complete = complete + 1
  else
    fail("complete", string.format("%s is %s on the server", key,
      errors[i] and ("unreadable: " .. tostring(errors[i])) or tostring(results[i])))
  end
end

-- Summary ------------------------------------------------------------------------------
local fault_kinds = {}
for kind, n in pairs(faults) do
  fault_kinds[#fault_kinds + 1] = string.format("%d %s", n, kind)
end
table.sort(fault_kinds)
local starts = 0
for _, n in pairs(applied_starts) do
  starts = starts + n
end
local checks = {}
for _, name in ipairs({ "exit", "exactly-once", "complete", "journal", "no-429-storm", "no-token" }) do
  local ok = true
  for _, f in ipairs(failures) do
    if f.check == name then ok = false end
  end
  checks[#checks + 1] = name .. (ok and " ok" or " FAILED")
end

print(string.format("%d flags, %d phase starts applied, %d requests in %s s (server saw %.1f s)",
  #flags, starts, #log_items, args.wall or "?", ((last_time or 0) - (first_time or 0)) / 1000))
print("  faults injected: " .. (#fault_kinds > 0 and table.concat(fault_kinds, ", ") or "none"))
print(string.format("  requests retried after a fault: %d; duplicates=%d; missing starts=%d; complete %d/%d",
  retried, duplicates, missing, complete, #flags))
print(string.format("  journal: %d lines, %d invalid; end-of-run record: %s", journal_lines, invalid_lines,
  end_record and tostring(end_record.outcome) or "none"))
print(string.format("  429s: %d, shortest gap before the same flag's retry %s ms, requests sent during a "
  .. "Retry-After wait %d; busiest second: %d requests", rate_limited,
  shortest_gap and tostring(shortest_gap) or "-", during_wait, busiest))
print("  checks: " .. table.concat(checks, ", "))
for i, f in ipairs(failures) do
  if i > 20 then
    print(string.format("  ... and %d more failures", #failures - 20))
    break
  end
  print(string.format("  FAILED %s: %s", f.check, f.message))
end

if args.summary then
  local file = assert(io.open(args.summary, "w"))
  file:write(json.encode({
    flags = #flags,
    requests = #log_items,
    starts = starts,
    duplicates = duplicates,
    missing = missing,
    complete = complete,
    retried = retried,
    rate_limited = rate_limited,
    sent_during_retry_after = during_wait,
    shortest_gap_ms = shortest_gap,
    busiest_second = busiest,
    faults = faults,
    journal_lines = journal_lines,
    invalid_journal_lines = invalid_lines,
    end_of_run_record = end_record ~= nil,
    failures = json.array(failures),
  }), "\n")
  file:close()
end

if #failures > 0 then
  os.exit(1)
end
