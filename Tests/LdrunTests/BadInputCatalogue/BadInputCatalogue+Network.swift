/// What the network sends back: injected simulator faults, and a server of the test that answers
/// with absurd headers, bodies that are not JSON, bodies cut short, and LaunchDarkly's own errors.
extension BadInputCatalogue {
    private static let ldUnauthorized = #"{"code":"unauthorized","message":"Invalid access token"}"#

    static let network: [BadInputCase] = [
        .network(
            "a 401 with LaunchDarkly's error names the status and message",
            server: .canned(.json("401 Unauthorized", ldUnauthorized)), "release.get('dark-mode')\n",
            stderr: ["bad.lua:1:", "release.get demo/dark-mode", "401", "Invalid access token"]),
        .network(
            "a 401 from the simulator for a token it does not know", server: .simulatorRefusingToken,
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "unauthorized", "401"]),
        .network(
            "a 403 with LaunchDarkly's error",
            server: .canned(
                .json("403 Forbidden", #"{"code":"forbidden","message":"Access to the requested resource was denied"}"#)
            ),
            "flag.get('dark-mode')\n",
            stderr: ["bad.lua:1:", "flag.get demo/dark-mode", "403", "Access to the requested resource was denied"]),
        .network(
            "a 429 with Retry-After 1e20",
            server: .canned(
                .json(
                    "429 Too Many Requests", #"{"code":"rate_limited","message":"slow down"}"#,
                    headers: ["Retry-After: 1e20"])),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "rate_limited", "429"]),
        .network(
            "a 429 with an HTTP date in year 99999",
            server: .canned(
                .json(
                    "429 Too Many Requests", #"{"code":"rate_limited","message":"slow down"}"#,
                    headers: ["Retry-After: Fri, 31 Dec 99999 23:59:59 GMT"])),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "429"]),
        .network(
            "X-Ratelimit-Reset of the smallest Int64 on a success",
            server: .canned(
                .json(
                    "200 OK", #"{"items":[],"totalCount":0}"#,
                    headers: ["X-Ratelimit-Reset: -9223372036854775808", "X-Ratelimit-Global-Remaining: 0"])),
            "pipeline.list()\npipeline.list()\nerror('listed twice')\n", stderr: ["bad.lua:3: listed twice"]),
        .network(
            "X-Ratelimit-Reset of 1e30 on a success",
            server: .canned(.json("200 OK", #"{"items":[],"totalCount":0}"#, headers: ["X-Ratelimit-Reset: 1e30"])),
            "pipeline.list()\nerror('listed')\n", stderr: ["bad.lua:2: listed"]),
        .network(
            "a body that is not JSON", server: .canned(.json("200 OK", "this is not json")),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "release.get demo/dark-mode", "decoding"]),
        .network(
            "a JSON body of the wrong shape", server: .canned(.json("200 OK", "[1, 2, 3]")),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "decoding"]),
        .network(
            "a body cut short",
            server: .canned(
                CannedResponse(
                    status: "200 OK", headers: ["Content-Type: application/json"], body: #"{"phases": ["#,
                    missingBytes: 100)),
            "release.patch{flag = 'dark-mode', ops = {{op = 'replace', path = '/phases/0/complete', value = true}}}\n",
            stderr: ["bad.lua:1:", "release.patch demo/dark-mode"]),
        .network(
            "an HTML 502 page",
            server: .canned(
                CannedResponse(
                    status: "502 Bad Gateway", headers: ["Content-Type: text/html"],
                    body: "<html><body><h1>502 Bad Gateway</h1></body></html>")),
            "release.patch{flag = 'dark-mode', ops = {{op = 'replace', path = '/phases/0/complete', value = true}}}\n",
            stderr: ["bad.lua:1:", "release.patch demo/dark-mode", "502"]),
        .network(
            "a 418 without a code", server: .canned(.json("418 I'm a teapot", "{}")),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "418"]),
        .network(
            "a 400 fault on release.create", server: .simulator(faults: "release-create:status=400"),
            "release.create{flag = 'dark-mode', pipeline = 'fast-track'}\n",
            stderr: ["bad.lua:1:", "release.create demo/dark-mode", "400"]),
        .network(
            "a 404 fault on pipeline.get", server: .simulator(faults: "pipeline-get:status=404"),
            "pipeline.get('standard')\n", stderr: ["bad.lua:1:", "pipeline.get demo/standard", "404"]),
        .network(
            "a 503 fault on release.patch is not retried", server: .simulator(faults: "release-patch:status=503"),
            "release.patch{flag = 'dark-mode', ops = {{op = 'replace', path = '/phases/0/complete', value = true}}}\n",
            stderr: ["bad.lua:1:", "release.patch demo/dark-mode", "503"]),
        .network(
            "a 429 fault with Retry-After beyond the retry budget",
            server: .simulator(faults: "release-get:retry-after=100000"),
            "release.get('dark-mode')\n", stderr: ["bad.lua:1:", "rate_limited", "429"]),
        .network(
            "a dropped connection on release.patch", server: .simulator(faults: "release-patch:drop=before"),
            "release.patch{flag = 'dark-mode', ops = {{op = 'replace', path = '/phases/0/complete', value = true}}}\n",
            stderr: ["bad.lua:1:", "release.patch demo/dark-mode"]),
        .network(
            "a 400 fault on phase.start", server: .simulator(faults: "phase-start:status=400"),
            "local rel = release.create{flag = 'dark-mode', pipeline = 'fast-track'}\nphase.start(rel)\n",
            stderr: ["bad.lua:2:", "phase.start demo/dark-mode", "400"]),
    ]
}
