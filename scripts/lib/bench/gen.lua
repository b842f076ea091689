-- Writes the inputs of scripts/bench (plain lua5.4, no modules):
--
--   lua5.4 gen.lua progressions ITEMS FILE   a release-progressions document (pipeline.releases)
--   lua5.4 gen.lua seed FLAGS FILE           a simulator seed: project bench, pipeline three
--                                            (three phases, no approval, no guard), FLAGS flags

local what, count, path = arg[1], math.tointeger(tonumber(arg[2] or "")), arg[3]
assert(what and count and path, "usage: lua5.4 gen.lua progressions|seed COUNT FILE")

local out = assert(io.open(path, "w"))

if what == "progressions" then
  -- About 700 bytes an item, so 1,500 items make 1 MiB.
  out:write('{"items":[')
  for i = 1, count do
    if i > 1 then
      out:write(",")
    end
    local key = string.format("flag-%05d", i)
    out:write(string.format(
      '{"_creationDate":%d,"_completedAt":%s,"flagKey":"%s","flagName":"Flag number %d",' ..
      '"releaseVariationId":"65a1f0c2e4b0a1b2c3d4v%03d","activePhaseId":"65a1f0c2e4b0a1b2c3d4000%d",' ..
      '"description":"Release of %s, \\"quoted\\", \\u00e9",' ..
      '"weight":%.3f,"tags":["team-%d","area-%d","release"],"_maintainer":{"_id":"569f183514f4432160000007",' ..
      '"email":"owner-%d@example.com","role":"writer"},' ..
      '"phases":[{"_id":"65a1f0c2e4b0a1b2c3d40001","status":"completed","complete":true},' ..
      '{"_id":"65a1f0c2e4b0a1b2c3d40002","status":"active","complete":false},' ..
      '{"_id":"65a1f0c2e4b0a1b2c3d40003","status":"not-started","complete":false}],' ..
      '"_links":{"self":{"href":"/api/v2/projects/web/flags/%s/release","type":"application/json"}}}',
      1700000000000 + i, i % 7 == 0 and tostring(1700000500000 + i) or "null", key, i, i % 1000, 1 + i % 3,
      key, (i % 1000) / 7, i % 17, i % 5, i % 40, key))
  end
  out:write(string.format('],"totalCount":%d,"_links":{"self":{"href":"/api/v2/projects/web/' ..
    'release-pipelines/standard/releases","type":"application/json"}}}', count))
elseif what == "seed" then
  local function audience(env, n)
    return string.format('{"name":"%s","environmentKey":"%s","configuration":' ..
      '{"releaseStrategy":"","requireApproval":false,"notifyMemberIds":[],"notifyTeamKeys":[]}}', env .. n, env)
  end
  out:write('{"projects":[{"key":"bench","name":"Benchmark","environments":[' ..
    '{"key":"test"},{"key":"staging"},{"key":"production"}],"pipelines":[{"key":"three","name":"Three phases",' ..
    '"isProjectDefault":true,"phases":[')
  local names = { "Testing", "Staging", "Production" }
  for i, env in ipairs({ "test", "staging", "production" }) do
    if i > 1 then
      out:write(",")
    end
    out:write(string.format('{"name":"%s","audiences":[%s]}', names[i], audience(env, i)))
  end
  out:write(']}],"flags":[')
  for i = 1, count do
    if i > 1 then
      out:write(",")
    end
    out:write(string.format('{"key":"bench-%05d","name":"Bench %d"}', i, i))
  end
  out:write("]}]}")
else
  error("unknown input " .. what)
end

out:close()
