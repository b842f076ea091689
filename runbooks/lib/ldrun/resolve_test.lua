-- Tests of ldrun.resolve: ldrun test --lib runbooks/lib runbooks/lib

local resolve = require "ldrun.resolve"

-- A seed with two projects; `web` has no pipeline marked default.
local TWO_PROJECTS = {
  projects = {
    {
      key = "demo",
      environments = { { key = "production" } },
      pipelines = {
        { key = "main", name = "Main line", phases = {
          { name = "Everyone", audiences = { { name = "Prod", environmentKey = "production",
            configuration = { releaseStrategy = "", requireApproval = false } } } },
        } },
      },
      flags = { { key = "beta-banner" } },
    },
    {
      key = "web",
      environments = { { key = "prod" } },
      pipelines = {
        { key = "web-first", name = "Web first", phases = {
          { name = "All", audiences = { { name = "Prod", environmentKey = "prod",
            configuration = { releaseStrategy = "", requireApproval = false } } } },
        } },
        { key = "web-second", name = "Web second", isProjectDefault = true, phases = {
          { name = "All", audiences = { { name = "Prod", environmentKey = "prod",
            configuration = { releaseStrategy = "", requireApproval = false } } } },
        } },
      },
      flags = { { key = "web-flag", variations = {
        { value = true, name = "Shown" }, { value = false, name = "Hidden" } } } },
    },
  },
}

test("pipeline by key reads that pipeline", function(t)
  local p = resolve.pipeline("fast-track")
  t.expect(p.key).equals("fast-track")
  t.expect(p.name).equals("Fast track")
  t.expect(t.requests{ route = "pipeline-get" }).has_length(1)
  t.expect(t.requests{ route = "pipeline-list" }).has_length(0)
end)

test("pipeline by name, in any case, falls back to the list", function(t)
  local p = resolve.pipeline("standard RELEASE")
  t.expect(p.key).equals("standard")
  t.expect(t.requests{ route = "pipeline-get", status = 404 }).has_length(1)
  t.expect(t.requests{ route = "pipeline-list" }).has_length(1)
end)

test("no pipeline named: the project's default", function(t)
  t.expect(resolve.pipeline(nil).key).equals("standard")
  t.expect(t.requests{ route = "pipeline-get" }).has_length(0)
end)

test("an unknown pipeline is not_found and lists the pipelines", function(t)
  local err = t.expect_error(resolve.pipeline, "nope")
  t.expect(err.code).equals("not_found")
  t.expect(err.message).equals("no release pipeline 'nope' (pipelines: standard, fast-track)")
end)

test("errors other than not_found pass through unchanged", { faults = "pipeline-get:count=1:status=403" },
  function(t)
    local err = t.expect_error(resolve.pipeline, "standard")
    -- The simulator's injected 403 carries the code "invalid_request" in its body, which ldrun passes on.
    t.expect(err.status).equals(403)
    t.expect(err.code).equals("invalid_request")
    t.expect(err.operation).contains("pipeline.get")
    t.expect(t.requests{ route = "pipeline-list" }).has_length(0)
  end)

test("pipeline in another project", { seed = TWO_PROJECTS }, function(t)
  t.expect(resolve.pipeline(nil).key).equals("main")
  t.expect(resolve.pipeline(nil, "web").key).equals("web-second")
  t.expect(resolve.pipeline("Web first", "web").key).equals("web-first")
  local err = t.expect_error(resolve.pipeline, "main", "web")
  t.expect(err.code).equals("not_found")
  t.expect(err.message).contains("pipelines: web-first, web-second")
end)

test("variation by id, value or name", function(t)
  t.expect(resolve.variation("new-checkout", "65a1f0c2e4b0a1b2c3d4v002")).equals("65a1f0c2e4b0a1b2c3d4v002")
  t.expect(resolve.variation("new-checkout", true)).equals("65a1f0c2e4b0a1b2c3d4v001")
  t.expect(resolve.variation("new-checkout", false)).equals("65a1f0c2e4b0a1b2c3d4v002")
  t.expect(resolve.variation("new-checkout", "OLD CHECKOUT")).equals("65a1f0c2e4b0a1b2c3d4v002")
end)

test("variation of a flag in another project", { seed = TWO_PROJECTS }, function(t)
  local f = flag.get{ key = "web-flag", project = "web" }
  t.expect(resolve.variation("web-flag", false, "web")).equals(f.variations[2]._id)
  t.expect(resolve.variation("web-flag", "shown", "web")).equals(f.variations[1]._id)
  t.expect(t.expect_error(resolve.variation, "web-flag", true, "demo").code).equals("not_found")
end)

test("an unknown variation is not_found and lists the variations", function(t)
  local err = t.expect_error(resolve.variation, "new-checkout", "purple")
  t.expect(err.code).equals("not_found")
  t.expect(err.flag).equals("new-checkout")
  t.expect(err.message).equals("flag 'new-checkout' has no variation with id, value or name 'purple' "
    .. "(variations: New checkout (true), Old checkout (false))")
end)

test("an unknown flag is the API's not_found", function(t)
  local err = t.expect_error(resolve.variation, "no-such-flag", true)
  t.expect(err.code).equals("not_found")
  t.expect(err.status).equals(404)
end)

test("audience_config sends guardian and notify settings only", function(t)
  local rel = release.create("new-checkout", "standard")
  local testing, staging, production = rel.phases[1], rel.phases[2], rel.phases[3]
  t.expect(resolve.audience_config(testing)).equals({})
  t.expect(resolve.audience_config(staging)).equals({
    {
      audienceId = "65a1f0c2e4b0a1b2c3d4a002",
      releaseGuardianConfiguration = {
        monitoringWindowMilliseconds = 60000,
        rolloutWeight = 50,
        rollbackOnRegression = true,
        randomizationUnit = "user",
      },
    },
  })
  t.expect(resolve.audience_config(production)).equals({
    {
      audienceId = "65a1f0c2e4b0a1b2c3d4a003",
      notifyMemberIds = { "65a1f0c2e4b0a1b2c3d4m001" },
      notifyTeamKeys = { "release-managers" },
    },
  })
end)

test("audience_config applies overrides", function(t)
  local rel = release.create("new-checkout", "standard")
  local staging, production = rel.phases[2], rel.phases[3]
  local guarded = resolve.audience_config(staging, { guardian = { rolloutWeight = 5, rollbackOnRegression = false } })
  t.expect(guarded[1].releaseGuardianConfiguration.rolloutWeight).equals(5)
  t.expect(guarded[1].releaseGuardianConfiguration.rollbackOnRegression).is_false()
  t.expect(guarded[1].releaseGuardianConfiguration.monitoringWindowMilliseconds).equals(60000)
  -- The release's own configuration is not changed.
  t.expect(staging._audiences[1].configuration.releaseGuardianConfiguration.rolloutWeight).equals(50)
  local approval = resolve.audience_config(production, { notify_members = { "m-1" }, notify_teams = { "sre" } })
  t.expect(approval[1].notifyMemberIds).equals({ "m-1" })
  t.expect(approval[1].notifyTeamKeys).equals({ "sre" })
  -- Notify overrides only apply to approval audiences.
  t.expect(resolve.audience_config(staging, { notify_teams = { "sre" } })[1].notifyTeamKeys).is_nil()
end)

test("what audience_config builds is accepted by phase.start", { dialect = "both" }, function(t)
  local rel = phase.wait(phase.start(release.create("new-checkout", "standard")), nil, { timeout = "5m" })
  local staging = phase.find(rel, "Staging")
  local _, started = phase.start(rel, staging, { audiences = resolve.audience_config(staging,
    { guardian = { rolloutWeight = 20 } }) })
  t.expect(started).is_true()
  t.expect(t.started_phases("new-checkout")).equals({ "Testing", "Staging" })
  local sent = t.requests{ route = "phase-start", status = 200, path = staging._id }[1]
  t.expect(sent.body.audiences[1].releaseGuardianConfiguration.rolloutWeight).equals(20)
  t.expect(t.release("new-checkout").phases[2]._audiences[1].configuration.releaseGuardianConfiguration
    .rolloutWeight).equals(20)
end)
