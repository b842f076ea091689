-- wait_until(fn, opts): poll `fn` until it returns a truthy value, which is returned.
-- Raises a `timeout` error when `opts.timeout` passes first.

local clock, duration, raise, options = ldrun.clock, ldrun.duration, ldrun.error, ldrun.options
local dry_run = ldrun.dry_run

---@class WaitOptions
---@field timeout? number|string  give up after this long (default "5m")
---@field every? number|string    first interval between checks (default "2s")
---@field backoff? number         multiply the interval by this after each check (default 1)
---@field max_every? number|string longest interval (default: no limit beyond timeout)
---@field what? string            what is awaited, for messages

-- A duration option of wait_until, or a bad-argument error located at wait_until's caller.
local function option_duration(name, value)
  local ok, result = pcall(duration, value)
  if ok then return result end
  local message = type(result) == "table" and result.message or tostring(result)
  message = message:gsub("^bad argument #1 to 'ldrun.duration' %((.*)%)$", "%1")
  error(raise("bad_argument", "bad argument #2 to 'wait_until' (" .. name .. ": " .. message .. ")", nil, 3), 0)
end

---@generic T
---@param fn fun(): T
---@param opts? WaitOptions
---@return T
function wait_until(fn, opts)
  if type(fn) ~= "function" then
    error(raise("bad_argument", "bad argument #1 to 'wait_until' (function expected, got " .. type(fn) .. ")", nil, 2), 0)
  end
  opts = options(opts, {"timeout", "every", "backoff", "max_every", "what"}, "wait_until", 2)
  local timeout = option_duration("timeout", opts.timeout or "5m")
  local interval = option_duration("every", opts.every or "2s")
  local backoff = opts.backoff or 1
  if math.type(backoff) == nil or backoff ~= backoff or backoff <= 0 or backoff == math.huge then
    error(raise("bad_argument", "bad argument #2 to 'wait_until' (backoff: a positive finite number expected, got "
      .. tostring(backoff) .. ")", nil, 2), 0)
  end
  local max_every = opts.max_every and option_duration("max_every", opts.max_every) or math.huge
  local what = opts.what or "condition"
  local started = clock()
  local checks = 0
  while true do
    local value = fn()
    checks = checks + 1
    if value then return value end
    if dry_run then
      log.info("would wait until " .. what, { what = what })
      return true
    end
    local elapsed = clock() - started
    if elapsed >= timeout then
      error(raise("timeout", string.format("timed out after %.1fs waiting for %s", elapsed, what),
        { what = what, elapsed = elapsed, checks = checks }, 2), 0)
    end
    sleep(math.min(interval, timeout - elapsed))
    interval = math.min(interval * backoff, max_every)
  end
end
