import NIOHTTP1
import Testing

@testable import ReleaseCore

/// The doctor's checks that read headers and errors, without a server.
@Suite struct AccountDoctorTests {
    static func doctor(nowMillis: Int64) throws -> AccountDoctor {
        let client = try ReleaseClient(
            configuration: .init(accessToken: "t", defaultProject: "web"),
            transport: StubTransport { _ in
                StubTransport.json(500, "{}")
            })
        var doctor = AccountDoctor(client: client)
        doctor.nowMillis = { nowMillis }
        return doctor
    }

    // Sun, 06 Nov 1994 08:49:37 GMT is 784111777000 ms.
    @Test(
        arguments: [
            (784_111_777_000, DoctorCheck.Result.pass, "+0.0s"),
            (784_111_774_000, .pass, "+3.0s"),
            (784_111_787_000, .warn, "-10.0s"),
            (784_111_177_000, .warn, "+600.0s"),
        ] as [(Int64, DoctorCheck.Result, String)])
    func theClockOffsetComesFromTheDateHeader(local: Int64, result: DoctorCheck.Result, offset: String) throws {
        let check = try Self.doctor(nowMillis: local).clockCheck(["Date": "Sun, 06 Nov 1994 08:49:37 GMT"])
        #expect(check.result == result)
        #expect(check.detail.hasPrefix(offset), "\(check.detail)")
    }

    @Test func noDateHeaderIsAWarning() throws {
        #expect(try Self.doctor(nowMillis: 0).clockCheck([:]).result == .warn)
        #expect(try Self.doctor(nowMillis: 0).clockCheck(["Date": "yesterday"]).result == .warn)
    }

    @Test func rateLimitHeadersPassAndTheirAbsenceWarns() {
        let present = AccountDoctor.rateLimitCheck(["X-Ratelimit-Global-Remaining": "99", "X-Ratelimit-Reset": "1"])
        #expect(present.result == .pass && present.detail.contains("X-Ratelimit-Global-Remaining: 99"))
        #expect(AccountDoctor.rateLimitCheck([:]).result == .warn)
    }

    @Test(
        arguments: [
            (nil, ["connection": DoctorCheck.Result.fail]),
            (401, ["connection": .pass, "token": .fail]),
            (403, ["connection": .pass, "token": .pass, "beta": .fail]),
            (404, ["connection": .pass, "token": .pass, "project": .fail]),
            (500, ["connection": .fail]),
        ] as [(Int?, [String: DoctorCheck.Result])])
    func aFailedFirstRequestSaysWhereItStops(status: Int?, expected: [String: DoctorCheck.Result]) {
        let error = ReleaseError(status == nil ? .transport : .invalidRequest, message: "no", status: status)
        let checks = AccountDoctor.failedFirstRequest(error, base: "https://x", project: "web")
        #expect(Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0.result) }) == expected)
        #expect(checks.last?.result == .fail)
    }
}
