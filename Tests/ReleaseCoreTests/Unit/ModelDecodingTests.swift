import ReleaseCore
import Testing

@Suite struct ModelDecodingTests {
    static let releaseText = #"""
        {"name":"Standard","releasePipelineKey":"standard","releasePipelineDescription":"d","_version":4,
         "_releaseVariationId":"var-true","futureField":{"kept":[1,2]},
         "phases":[{"_id":"p1","_name":"Testing","complete":true,"started":true,"status":"Complete",
                    "_creationDate":1684262711507,"_completionDate":"1684262711509",
                    "_audiences":[{"_id":"a1","name":"Test","environment":{"key":"test","name":"Test","color":"F5A623",
                                   "_links":{}},"configuration":{"releaseStrategy":"immediate","requireApproval":false,
                                   "notifyTeamKeys":["t"]},"segmentKeys":["s"],"status":"active","_ruleIds":["r"]}]},
                   {"_id":"p2","_name":"Staging","complete":false,"status":"Sunsetting","_audiences":[]}]}
        """#

    @Test func releaseDecodesTypedFieldsAndKeepsRaw() throws {
        let json = try JSONValue(parsing: Self.releaseText)
        let release = try Release(json: json)
        #expect(release.name == "Standard")
        #expect(release.pipelineKey == "standard")
        #expect(release.version == 4)
        #expect(release.releaseVariationId == "var-true")
        #expect(release.raw == json)
        #expect(release.raw["futureField"]?["kept"] == [1, 2])
        let first = release.phases[0]
        #expect(first.id == "p1" && first.name == "Testing")
        #expect(first.status == .complete && first.isComplete)
        #expect(first.completionDate == 1_684_262_711_509)
        #expect(first.audiences[0].environment?.key == "test")
        #expect(first.audiences[0].configuration?.releaseStrategy == "immediate")
        #expect(first.audiences[0].configuration?.notifyTeamKeys == ["t"])
        #expect(first.audiences[0].raw["_ruleIds"] == ["r"])
        #expect(release.phases[1].status == .unknown("Sunsetting"))
        #expect(release.phases[1].status.rawValue == "Sunsetting")
    }

    @Test(arguments: ["NotStarted", "ReadyToStart", "Started", "Paused", "Complete"])
    func phaseStatusRoundTrips(raw: String) {
        let status = PhaseStatus(rawValue: raw)
        #expect(status.rawValue == raw)
        if case .unknown = status { Issue.record("\(raw) decoded as unknown") }
    }

    @Test func missingOptionalFieldsAreTolerated() throws {
        let release = try Release(json: ["phases": [["_id": "p1"]]])
        #expect(release.name == "" && release.version == nil)
        #expect(release.phases[0].status == .notStarted)
        #expect(release.phases[0].reportedStatus == nil)
        #expect(release.phases[0].audiences.isEmpty)
    }

    @Test(
        arguments: [
            (JSONValue.array([]), "expected a JSON object"),
            (JSONValue.object(["name": "x"]), "Release.phases: expected an array, got nothing"),
            (JSONValue.object(["phases": [["_name": "x"]]]), "ReleasePhase._id: expected a string, got nothing"),
            (JSONValue.object(["phases": [["_id": 5]]]), "ReleasePhase._id: expected a string, got a number"),
            (
                JSONValue.object(["phases": [["_id": "p", "complete": "yes"]]]),
                "ReleasePhase.complete: expected a boolean"
            ),
        ] as [(JSONValue, String)])
    func wrongShapesAreDecodingErrors(json: JSONValue, message: String) {
        #expect {
            try Release(json: json)
        } throws: { error in
            guard let error = error as? ReleaseError else { return false }
            return error.kind == .decoding && error.message.contains(message)
        }
    }

    @Test func pipelineProgressionAndFlag() throws {
        let pipeline = try ReleasePipeline(
            json: [
                "key": "standard", "name": "Standard", "createdAt": 1_684_262_711_507, "_isLegacy": false,
                "phases": [
                    ["id": "p1", "name": "Testing", "audiences": [["name": "Test", "environment": ["key": "test"]]]]
                ],
            ])
        #expect(pipeline.phases[0].audiences[0].id == nil)
        #expect(pipeline.phases[0].audiences[0].environment?.key == "test")
        #expect(pipeline.createdAt == "1684262711507")
        #expect(pipeline.isLegacy == false)

        let page = try ReleaseProgressionPage(
            json: [
                "items": [["flagKey": "a", "activePhaseId": "p1", "_createdAt": 1, "_links": [:]]], "totalCount": 7,
                "activeCount": 5, "completedCount": 2, "phases": [["_id": "p1", "name": "Testing", "releaseCount": 5]],
                "_links": [:],
            ])
        #expect(page.items[0].flagKey == "a" && page.items[0].activePhaseId == "p1")
        #expect(page.totalCount == 7 && page.activeCount == 5 && page.phases[0].releaseCount == 5)

        let flag = try FeatureFlag(
            json: [
                "key": "checkout", "name": "Checkout", "kind": "boolean",
                "variations": [["_id": "v1", "value": true, "name": "On"], ["_id": "v2", "value": false]],
            ])
        #expect(flag.variation("on")?.id == "v1")
        #expect(flag.variation("v2")?.value == false)
        #expect(flag.variation(servingValue: true)?.id == "v1")
    }

    @Test func requestInputsSerialiseAsTheSpecSays() throws {
        #expect(
            JSONPatchOperation.setPhaseComplete(index: 0).json.serialized(sortedKeys: true)
                == #"{"op":"replace","path":"/phases/0/complete","value":true}"#)
        let input = PhaseAudienceInput(audienceId: "a1", notifyTeamKeys: ["t"])
        #expect(input.json.serialized(sortedKeys: true) == #"{"audienceId":"a1","notifyTeamKeys":["t"]}"#)
        #expect(try PhaseAudienceInput(json: input.json) == input)
        #expect(
            try JSONPatchOperation(json: ["op": "remove", "path": "/x"]) == JSONPatchOperation(op: "remove", path: "/x")
        )
    }
}
