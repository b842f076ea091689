-- ldrun.pretty(value [, opts]): a value as Lua would read it, for people (the REPL prints
-- results with it). Sorted keys, short tables on one line, indentation, depth, width and
-- item limits, cycles marked, __tostring honoured, functions and userdata by their kind.

local raise, options = ldrun.error, ldrun.options
local null = json.null
local summary = release.summary
local format, rep, concat, sort = string.format, string.rep, table.concat, table.sort
local type, tostring, pairs, next, pcall = type, tostring, pairs, next, pcall
local getmetatable, rawlen, rawget, select = getmetatable, rawlen, rawget, select
local math_type = math.type

---@class PrettyOptions
---@field depth? integer  tables nested deeper are shown as {…} (default 4)
---@field width? integer  a table that fits in this many columns stays on one line (default 100)
---@field items? integer  at most this many entries per table (default 50)
---@field summary? boolean a release table starts with its one-line phase summary (default true)

local keywords = {}
for word in ("and break do else elseif end false for function goto if in local nil not or repeat return then true until while"):gmatch("%a+") do
  keywords[word] = true
end

local function is_identifier(key)
  return type(key) == "string" and key:match("^[%a_][%w_]*$") ~= nil and not keywords[key]
end

-- Keys in a stable order: integers and numbers first (ascending), then strings, then the rest.
local rank = {number = 1, string = 2, boolean = 3}
local function key_before(a, b)
  local ta, tb = type(a), type(b)
  local ra, rb = rank[ta] or 4, rank[tb] or 4
  if ra ~= rb then return ra < rb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function scalar(value, nested)
  local kind = type(value)
  if kind == "string" then
    return nested and format("%q", value):gsub("\\\n", "\\n") or value
  elseif kind == "number" or kind == "nil" or kind == "boolean" then
    return tostring(value)
  end
  return nil
end

-- The text of a value with a __tostring (or __name), or nil. A failing __tostring shows why.
local function custom(value)
  local mt = getmetatable(value)
  if mt == nil then return nil end
  -- A protected metatable: host values answer their type name (`ldrun.task`).
  if type(mt) == "string" then return "<" .. mt .. ">" end
  if type(mt) ~= "table" then return "<" .. type(value) .. ">" end
  if rawget(mt, "__tostring") ~= nil then
    local ok, text = pcall(tostring, value)
    if ok and type(text) == "string" then return text end
    return "<__tostring failed: " .. tostring(ok and "it returned no string" or text) .. ">"
  end
  local name = rawget(mt, "__name")
  if type(value) ~= "table" and type(name) == "string" then return "<" .. name .. ">" end
  return nil
end

local function render(value, opts, indent, depth, path)
  local text = scalar(value, depth > 0)
  if text then return text end
  if value == null then return "json.null" end
  text = custom(value)
  if text then return text end
  local kind = type(value)
  if kind ~= "table" then return "<" .. kind .. ">" end
  if path[value] then return "<cycle>" end
  if next(value) == nil then return "{}" end

  local length = rawlen(value)
  local keys, count = {}, 0
  for key in pairs(value) do
    count = count + 1
    if not (math_type(key) == "integer" and key >= 1 and key <= length) then keys[#keys + 1] = key end
  end
  if depth >= opts.depth then return format("{… %d %s}", count, count == 1 and "entry" or "entries") end
  sort(keys, key_before)

  path[value] = true
  local parts, shown = {}, 0
  for index = 1, length do
    if shown >= opts.items then break end
    parts[#parts + 1] = render(value[index], opts, indent + 1, depth + 1, path)
    shown = shown + 1
  end
  for _, key in ipairs(keys) do
    if shown >= opts.items then break end
    local label = is_identifier(key) and key or "[" .. render(key, opts, indent + 1, depth + 1, path) .. "]"
    parts[#parts + 1] = label .. " = " .. render(value[key], opts, indent + 1, depth + 1, path)
    shown = shown + 1
  end
  path[value] = nil
  if shown < count then parts[#parts + 1] = format("… %d more", count - shown) end

  local line = "{" .. concat(parts, ", ") .. "}"
  local multiline = line:find("\n", 1, true) ~= nil
  if #line + indent * 2 <= opts.width and not multiline then return line end
  local pad = rep("  ", indent + 1)
  if #keys == 0 and not multiline then
    -- A long list of short values fills its lines.
    local lines, current = {}, ""
    for index, part in ipairs(parts) do
      local piece = part .. (index < #parts and "," or "")
      if current ~= "" and #pad + #current + 1 + #piece > opts.width then
        lines[#lines + 1] = current
        current = piece
      else
        current = current == "" and piece or current .. " " .. piece
      end
    end
    lines[#lines + 1] = current
    return "{\n" .. pad .. concat(lines, "\n" .. pad) .. "\n" .. rep("  ", indent) .. "}"
  end
  return "{\n" .. pad .. concat(parts, ",\n" .. pad) .. "\n" .. rep("  ", indent) .. "}"
end

local function option(opts, name, default)
  local value = opts[name]
  if value == nil then return default end
  if math_type(value) ~= "integer" or value < 1 then
    error(raise("bad_argument", "bad argument #2 to 'ldrun.pretty' (" .. name .. ": a positive integer expected, got " .. tostring(value) .. ")", nil, 3), 0)
  end
  return value
end

---@param value any
---@param opts? PrettyOptions
---@return string
function ldrun.pretty(value, opts)
  if select("#", value) == 0 then return "nil" end
  opts = options(opts, {"depth", "width", "items", "summary"}, "ldrun.pretty", 2)
  local settings = {
    depth = option(opts, "depth", 4), width = option(opts, "width", 100), items = option(opts, "items", 50),
  }
  local text = render(value, settings, 0, 0, {})
  -- A release has its pipeline's key; other tables with `phases` (a pipeline's release
  -- counts) get no summary line.
  if opts.summary ~= false and type(value) == "table" and getmetatable(value) == nil
    and rawget(value, "releasePipelineKey") ~= nil then
    local ok, line = pcall(summary, value)
    if ok then text = line .. "\n" .. text end
  end
  return text
end
