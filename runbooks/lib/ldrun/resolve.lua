--- Resolves what a promotion names into what the API takes: a pipeline by key or name, a
--- variation by id, value or name, and the audience settings sent when a phase starts.
--- `ldrun.promote` re-exports these as `resolve_pipeline`, `resolve_variation` and
--- `audience_config`.

local util = require "ldrun.util"

local M = {}

--- Finds a pipeline by key, else by name (case-insensitive); with `nil`, the project's default.
---@param wanted string?
---@param project string?
---@return table pipeline
function M.pipeline(wanted, project)
  if wanted then
    local ok, found = pcall(pipeline.get, { key = wanted, project = project })
    if ok and type(found) == "table" then
      return found
    end
    if not ok and util.error_code(found) ~= "not_found" then
      error(found, 0)
    end
  end
  local pipelines = util.items(pipeline.list({ project = project }))
  local names = {}
  for _, p in ipairs(pipelines) do
    if wanted and (p.key == wanted or (p.name or ""):lower() == wanted:lower()) then
      return p
    end
    if not wanted and p.isProjectDefault then
      return p
    end
    names[#names + 1] = p.key
  end
  if wanted then
    util.fail("not_found", string.format("no release pipeline '%s' (pipelines: %s)", wanted, table.concat(names, ", ")))
  end
  util.fail("not_found", "no pipeline given and the project has no default pipeline (pipelines: "
    .. table.concat(names, ", ") .. ")")
end

--- Finds a variation of a flag by `_id`, then by value, then by name (case-insensitive).
---@param flag_key string
---@param wanted any
---@param project string?
---@return string variation_id
function M.variation(flag_key, wanted, project)
  local f = flag.get({ key = flag_key, project = project })
  local variations = (f and f.variations) or {}
  for _, v in ipairs(variations) do
    if v._id == wanted then
      return v._id
    end
  end
  for _, v in ipairs(variations) do
    if v.value == wanted then
      return v._id
    end
  end
  if type(wanted) == "string" then
    for _, v in ipairs(variations) do
      if type(v.name) == "string" and v.name:lower() == wanted:lower() then
        return v._id
      end
    end
  end
  local known = {}
  for _, v in ipairs(variations) do
    known[#known + 1] = string.format("%s (%s)", tostring(v.name or v.value), tostring(v.value))
  end
  util.fail("not_found", string.format("flag '%s' has no variation with id, value or name '%s' (variations: %s)",
    flag_key, tostring(wanted), table.concat(known, ", ")), { flag = flag_key })
end

--- The `audiences` list to send when starting phase `ph`, built from the phase's own
--- audience configuration with `overrides` applied: guarded audiences get their
--- `releaseGuardianConfiguration`, approval audiences their notify lists. Audiences
--- without such settings are left out.
---@param ph table a release phase
---@param overrides ldrun.AudienceOverrides?
---@return table[] audiences `ReleaserAudienceConfigInput` values
function M.audience_config(ph, overrides)
  overrides = overrides or {}
  local list = {}
  for _, audience in ipairs(util.audiences(ph)) do
    local config = type(audience.configuration) == "table" and audience.configuration or {}
    local entry = { audienceId = audience._id }
    local extra = false
    if util.present(config.releaseGuardianConfiguration) then
      local guardian = {}
      for k, v in pairs(config.releaseGuardianConfiguration) do
        guardian[k] = v
      end
      for k, v in pairs(overrides.guardian or {}) do
        guardian[k] = v
      end
      entry.releaseGuardianConfiguration = guardian
      extra = true
    end
    if config.requireApproval == true then
      local members = overrides.notify_members or config.notifyMemberIds
      local teams = overrides.notify_teams or config.notifyTeamKeys
      if util.present(members) then
        entry.notifyMemberIds = members
        extra = true
      end
      if util.present(teams) then
        entry.notifyTeamKeys = teams
        extra = true
      end
    end
    if extra and entry.audienceId then
      list[#list + 1] = entry
    end
  end
  return list
end

return M
