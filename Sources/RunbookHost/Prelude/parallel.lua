-- parallel(list, fn, opts): run fn(item, index) for every item with at most `opts.limit`
-- running at once. Returns `results, errors`: tables indexed like `list`; every item has
-- either a result (possibly nil) or an error, never neither.

---@class ParallelOptions
---@field limit? integer  most items in flight at once (default 10)

---@generic T, R
---@param list T[]
---@param fn fun(item: T, index: integer): R
---@param opts? ParallelOptions
---@return table<integer, R> results
---@return table<integer, any> errors
function parallel(list, fn, opts)
  if type(list) ~= "table" then
    error(ldrun.error("bad_argument", "bad argument #1 to 'parallel' (table expected, got " .. type(list) .. ")", nil, 2), 0)
  end
  if type(fn) ~= "function" then
    error(ldrun.error("bad_argument", "bad argument #2 to 'parallel' (function expected, got " .. type(fn) .. ")", nil, 2), 0)
  end
  opts = ldrun.options(opts, {"limit"}, "parallel", 3)
  local limit = opts.limit or 10
  if math.type(limit) ~= "integer" or limit < 1 then
    error(ldrun.error("bad_argument", "bad argument #3 to 'parallel' (limit must be a positive integer)", nil, 2), 0)
  end
  local count = #list
  local results, errors = {}, {}
  local next_index = 1
  local interrupted

  local function worker()
    while next_index <= count and not interrupted do
      local index = next_index
      next_index = next_index + 1
      local ok, value = pcall(fn, list[index], index)
      if ok then
        results[index] = value
      else
        errors[index] = value
        if type(value) == "table" and value.code == "interrupted" then interrupted = value end
      end
    end
  end

  local workers = {}
  for i = 1, math.min(limit, count) do
    local ok, task = pcall(spawn, worker)
    if not ok then
      -- Raised at the caller of parallel (e.g. `not_in_task` inside coroutine.wrap), not here.
      if type(task) == "table" and task.code then error(ldrun.error(task.code, task.message, nil, 2), 0) end
      error(task, 0)
    end
    workers[i] = task
  end
  for _, task in ipairs(workers) do task:wait() end
  if interrupted then error(interrupted, 0) end
  return results, errors
end
