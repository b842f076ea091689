-- Writes the soak's simulator seed: project `soak` with one three-phase release pipeline
-- (`soak`: Canary -> Staging, guarded -> Production) and N boolean flags named
-- soak-0001, soak-0002, ...
--
--   ldrun run scripts/lib/soak/seed.lua -a flags=120 -a out=/tmp/soak-seed.json

local count = math.tointeger(tonumber(args.flags or "120"))
if not count or count < 1 then
  error("bad option 'flags' (positive integer expected, got " .. tostring(args.flags) .. ")", 0)
end
local out = args.out or error("pass -a out=FILE", 0)

-- One audience of a phase, releasing to `environment`; guarded when `guarded`.
local function audience(id, name, environment, guarded)
  local configuration = {
    releaseStrategy = guarded and "monitoredRelease" or "",
    requireApproval = false,
    notifyMemberIds = json.array(),
    notifyTeamKeys = json.array(),
  }
  if guarded then
    configuration.releaseGuardianConfiguration = {
      monitoringWindowMilliseconds = 60000,
      rolloutWeight = 50,
      rollbackOnRegression = true,
      randomizationUnit = "user",
    }
  end
  return {
    id = id,
    name = name,
    environmentKey = environment,
    segmentKeys = json.array(),
    configuration = configuration,
  }
end

local pipeline = {
  key = "soak",
  name = "Soak pipeline",
  isProjectDefault = true,
  phases = {
    { id = "5e0a00000000000000000001", name = "Canary",
      audiences = { audience("5e0a0000000000000000a001", "Canary", "test", false) } },
    { id = "5e0a00000000000000000002", name = "Staging",
      audiences = { audience("5e0a0000000000000000a002", "Staging", "staging", true) } },
    { id = "5e0a00000000000000000003", name = "Production",
      audiences = { audience("5e0a0000000000000000a003", "Production", "production", false) } },
  },
}

local flags = {}
for i = 1, count do
  flags[i] = { key = string.format("soak-%04d", i), name = "Soak flag " .. i, temporary = true, tags = json.array() }
end

local seed = {
  projects = {
    {
      key = "soak",
      name = "Fault soak",
      environments = {
        { key = "test", name = "Test" },
        { key = "staging", name = "Staging" },
        { key = "production", name = "Production" },
      },
      pipelines = { pipeline },
      flags = flags,
    },
  },
}

local file = assert(io.open(out, "w"))
file:write(json.encode(seed), "\n")
file:close()
