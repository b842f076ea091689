import Foundation

extension SimulatorSeed {
    /// The built-in demo data: project `demo` with `test`, `staging` and `production`,
    /// the default pipeline `standard` (Testing → Staging, guarded → Production, approval
    /// required), a second pipeline `fast-track`, and five boolean flags.
    public static let demo: SimulatorSeed = {
        do {
            return try SimulatorSeed(json: Data(demoSeedJSON.utf8))
        } catch {
            preconditionFailure("the built-in demo seed is invalid: \(error)")
        }
    }()

    /// The demo seed in the documented seed format.
    public static let demoSeedJSON = """
        {
          "projects": [
            {
              "key": "demo",
              "name": "Demo project",
              "environments": [
                { "key": "test", "name": "Test", "color": "F5A623" },
                { "key": "staging", "name": "Staging", "color": "417505" },
                { "key": "production", "name": "Production", "color": "D0021B" }
              ],
              "pipelines": [
                {
                  "key": "standard",
                  "name": "Standard release",
                  "description": "Testing, then a guarded rollout to staging, then production after approval",
                  "tags": ["default"],
                  "isProjectDefault": true,
                  "phases": [
                    {
                      "id": "65a1f0c2e4b0a1b2c3d40001",
                      "name": "Testing",
                      "audiences": [
                        {
                          "id": "65a1f0c2e4b0a1b2c3d4a001",
                          "name": "Test",
                          "environmentKey": "test",
                          "configuration": { "releaseStrategy": "immediate", "requireApproval": false }
                        }
                      ]
                    },
                    {
                      "id": "65a1f0c2e4b0a1b2c3d40002",
                      "name": "Staging",
                      "audiences": [
                        {
                          "id": "65a1f0c2e4b0a1b2c3d4a002",
                          "name": "Staging",
                          "environmentKey": "staging",
                          "segmentKeys": ["beta-testers"],
                          "configuration": {
                            "releaseStrategy": "monitoredRelease",
                            "requireApproval": false,
                            "releaseGuardianConfiguration": {
                              "monitoringWindowMilliseconds": 60000,
                              "rolloutWeight": 50,
                              "rollbackOnRegression": true,
                              "randomizationUnit": "user"
                            }
                          }
                        }
                      ]
                    },
                    {
                      "id": "65a1f0c2e4b0a1b2c3d40003",
                      "name": "Production",
                      "audiences": [
                        {
                          "id": "65a1f0c2e4b0a1b2c3d4a003",
                          "name": "Production",
                          "environmentKey": "production",
                          "configuration": {
                            "releaseStrategy": "immediate",
                            "requireApproval": true,
                            "notifyMemberIds": ["65a1f0c2e4b0a1b2c3d4m001"],
                            "notifyTeamKeys": ["release-managers"]
                          }
                        }
                      ]
                    }
                  ]
                },
                {
                  "key": "fast-track",
                  "name": "Fast track",
                  "description": "Straight from test to production, for low-risk changes",
                  "tags": ["low-risk"],
                  "phases": [
                    {
                      "id": "65a1f0c2e4b0a1b2c3d40011",
                      "name": "Test",
                      "audiences": [
                        {
                          "id": "65a1f0c2e4b0a1b2c3d4a011",
                          "name": "Test",
                          "environmentKey": "test",
                          "configuration": { "releaseStrategy": "immediate", "requireApproval": false }
                        }
                      ]
                    },
                    {
                      "id": "65a1f0c2e4b0a1b2c3d40012",
                      "name": "Production",
                      "audiences": [
                        {
                          "id": "65a1f0c2e4b0a1b2c3d4a012",
                          "name": "Production",
                          "environmentKey": "production",
                          "configuration": { "releaseStrategy": "immediate", "requireApproval": false }
                        }
                      ]
                    }
                  ]
                }
              ],
              "flags": [
                {
                  "key": "new-checkout",
                  "name": "New checkout",
                  "description": "The redesigned checkout flow",
                  "tags": ["checkout"],
                  "variations": [
                    { "_id": "65a1f0c2e4b0a1b2c3d4v001", "value": true, "name": "New checkout" },
                    { "_id": "65a1f0c2e4b0a1b2c3d4v002", "value": false, "name": "Old checkout" }
                  ]
                },
                { "key": "dark-mode", "name": "Dark mode" },
                { "key": "search-v2", "name": "Search v2", "tags": ["search"] },
                { "key": "recommendations", "name": "Recommendations" },
                { "key": "fast-shipping", "name": "Fast shipping", "temporary": false }
              ]
            }
          ]
        }
        """
}
