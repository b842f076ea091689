--- Small helpers shared by the ldrun library modules: error values, durations,
--- phase inspection and plain-text tables. Runbooks may use them too; they call
--- no host function that writes.

local M = {}

---@class ldrun.Error
---@field code string stable machine-readable code (`paused`, `gate_declined`, ...)
---@field message string what went wrong, for the operator
---@field flag string? the flag involved
---@field phase string? the phase name involved
---@field hint string? what the operator can do about it

local error_meta = {
  __tostring = function(e)
    local where = ""
    if e.flag then
      where = e.flag .. (e.phase and (" [" .. e.phase .. "]") or "") .. ": "
    end
    return where .. e.code .. ": " .. e.message .. (e.hint and (" (" .. e.hint .. ")") or "")
  end,
}

--- Builds an error value like the host's: a table with `code` and `message` (and any
--- extra fields) that prints readably. Raise it with `error(value, level)`.
---@param code string
---@param message string
---@param fields table? extra fields copied into the error (`flag`, `phase`, ...)
---@return ldrun.Error
function M.new_error(code, message, fields)
  local e = { code = code, message = message }
  for k, v in pairs(fields or {}) do
    e[k] = v
  end
  return setmetatable(e, error_meta)
end

--- Raises an error built by `new_error`, blaming the caller's caller.
---@param code string
---@param message string
---@param fields table?
function M.fail(code, message, fields)
  error(M.new_error(code, message, fields), 3)
end

--- Raises a `bad_argument` error for a wrong argument or option, located at the caller
--- `level` functions up from the function calling this one (1: that function itself).
---@param message string e.g. `bad option 'flag' to 'promote.run' (flag key expected, got nil)`
---@param level integer?
function M.bad_argument(message, level)
  level = (level or 1) + 1
  if type(ldrun) == "table" and type(ldrun.error) == "function" then
    error(ldrun.error("bad_argument", message, nil, level), 0)
  end
  error(M.new_error("bad_argument", message), level)
end

--- The code of any error value: a host or library error table's `code`, else `"error"`.
---@param err any
---@return string
function M.error_code(err)
  if type(err) == "table" and type(err.code) == "string" then
    return err.code
  end
  return "error"
end

--- A one-line description of any error value, without the traceback the host may append.
---@param err any
---@return string
function M.error_message(err)
  if type(err) == "table" then
    local mt = getmetatable(err)
    if mt and mt.__tostring then
      return tostring(err)
    end
    if err.message then
      return (err.code and (err.code .. ": ") or "") .. tostring(err.message)
    end
  end
  local text = tostring(err)
  return (text:match("^([^\n]*)")) or text
end

local units = { ms = 0.001, s = 1, m = 60, h = 3600, d = 86400 }

--- Converts a duration to seconds: a number of seconds (`90`, `0.5`) or a string with
--- units `ms`, `s`, `m`, `h`, `d`, combined or not (`"90s"`, `"5m"`, `"1h30m"`, `"7d"`).
---@param d number|string
---@return number seconds
function M.seconds(d)
  if type(d) == "number" then
    if d < 0 or d ~= d or d == math.huge then
      M.bad_argument("invalid duration " .. tostring(d) .. ": expected 0 or more seconds", 2)
    end
    return d
  end
  if type(d) ~= "string" then
    M.bad_argument("duration expected (seconds or a string like \"5m\"), got " .. type(d), 2)
  end
  local text = d:gsub("%s", "")
  if tonumber(text) then
    return M.seconds(tonumber(text))
  end
  local total, rest = 0, text
  if rest == "" then
    M.bad_argument("invalid duration '': expected seconds or a number with a unit ms, s, m, h or d", 2)
  end
  while rest ~= "" do
    local number, unit, after = rest:match("^(%d+%.?%d*)(%a+)(.*)$")
    if not number or not units[unit] then
      M.bad_argument("invalid duration '" .. d .. "': expected seconds or a number with a unit ms, s, m, h or d", 2)
    end
    total = total + tonumber(number) * units[unit]
    rest = after
  end
  return total
end

--- The audiences of a release phase (`_audiences`, or `audiences` on a pipeline phase).
---@param phase table
---@return table[]
function M.audiences(phase)
  return phase._audiences or phase.audiences or {}
end

--- A phase's display name (`_name` on releases, `name` on pipelines).
---@param phase table
---@return string
function M.phase_name(phase)
  return phase._name or phase.name or phase._id or phase.id or "?"
end

--- A phase's id (`_id` on releases, `id` on pipelines).
---@param phase table
---@return string
function M.phase_id(phase)
  return phase._id or phase.id
end

--- The environment keys a phase releases to.
---@param phase table
---@return string[]
function M.environments(phase)
  local keys = {}
  for _, audience in ipairs(M.audiences(phase)) do
    local env = audience.environment
    if type(env) == "table" and env.key then
      keys[#keys + 1] = env.key
    elseif audience.environmentKey then
      keys[#keys + 1] = audience.environmentKey
    end
  end
  return keys
end

--- Whether one of the phase's audiences releases to a production environment: an
--- environment whose key or name contains "prod" (`production`, `prod-eu`, ...).
---@param phase table
---@return boolean
function M.targets_production(phase)
  for _, audience in ipairs(M.audiences(phase)) do
    local env = audience.environment
    local texts = { audience.environmentKey }
    if type(env) == "table" then
      texts[#texts + 1] = env.key
      texts[#texts + 1] = env.name
    end
    for _, text in pairs(texts) do
      if type(text) == "string" and text:lower():find("prod", 1, true) then
        return true
      end
    end
  end
  return false
end

--- Whether an audience of the phase needs an approval before the phase completes.
---@param phase table
---@return boolean
function M.requires_approval(phase)
  for _, audience in ipairs(M.audiences(phase)) do
    if type(audience.configuration) == "table" and audience.configuration.requireApproval == true then
      return true
    end
  end
  return false
end

--- Whether an audience of the phase is a guarded (monitored) rollout that can regress.
---@param phase table
---@return boolean
function M.is_guarded(phase)
  for _, audience in ipairs(M.audiences(phase)) do
    local config = audience.configuration
    if type(config) == "table" and M.present(config.releaseGuardianConfiguration) then
      return true
    end
  end
  return false
end

--- Whether a JSON field has a value: neither absent nor JSON `null`.
---@param value any
---@return boolean
function M.present(value)
  return value ~= nil and not (json ~= nil and value == json.null)
end

--- Looks a key up in a table keyed by phase name (case-insensitive) or phase id.
---@param map table?
---@param phase table
---@return any
function M.for_phase(map, phase)
  if type(map) ~= "table" then
    return nil
  end
  local id, name = M.phase_id(phase), M.phase_name(phase)
  if id and map[id] ~= nil then
    return map[id]
  end
  if map[name] ~= nil then
    return map[name]
  end
  local wanted = name:lower()
  for key, value in pairs(map) do
    if type(key) == "string" and key:lower() == wanted then
      return value
    end
  end
  return nil
end

--- The items of a list answer, whether the host returned the bare list or the API's
--- collection object (`{items = {...}, totalCount = n}`).
---@param answer table?
---@return table[]
function M.items(answer)
  if type(answer) ~= "table" then
    return {}
  end
  if type(answer.items) == "table" then
    return answer.items
  end
  return answer
end

--- Formats rows as an aligned plain-text table.
---@param headers string[]
---@param rows (string|number|boolean|nil)[][]
---@return string
function M.format_table(headers, rows)
  local widths = {}
  for i, h in ipairs(headers) do
    widths[i] = #h
  end
  local cells = {}
  for r, row in ipairs(rows) do
    cells[r] = {}
    for i = 1, #headers do
      local text = row[i] == nil and "" or tostring(row[i])
      cells[r][i] = text
      widths[i] = math.max(widths[i], utf8.len(text) or #text)
    end
  end
  local function line(values)
    local parts = {}
    for i, text in ipairs(values) do
      local pad = widths[i] - (utf8.len(text) or #text)
      parts[i] = i == #values and text or (text .. string.rep(" ", pad))
    end
    return (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  local out = { line(headers) }
  local rule = {}
  for i = 1, #headers do
    rule[i] = string.rep("-", widths[i])
  end
  out[#out + 1] = line(rule)
  for _, row in ipairs(cells) do
    out[#out + 1] = line(row)
  end
  return table.concat(out, "\n")
end

--- Formats epoch milliseconds as UTC `YYYY-MM-DD HH:MM`, or `""` for nil.
---@param ms integer?
---@return string
function M.format_time(ms)
  if type(ms) ~= "number" then
    return ""
  end
  return os.date("!%Y-%m-%d %H:%M", ms // 1000)
end

return M
