import NIOHTTP1

/// One API call as the client's request loop sees it.
struct APIRequest: Sendable {
    /// For errors and records, e.g. `release.get web/checkout`.
    var operation: String
    var method: HTTPMethod
    /// The path under the base URL, query included.
    var path: String
    /// The route template, for route-level rate limits, e.g. `GET /api/v2/flags/{p}/{f}/release`.
    var route: String
    var body: JSONValue?
    /// Whether the route is a beta route (sends `LD-API-Version: beta`).
    var isBeta: Bool = true
    /// Whether an ambiguous failure (5xx, timeout, dropped connection) may be retried blindly.
    /// Defaults to the HTTP method: GET, PUT and DELETE yes; POST and PATCH no.
    var retriesAmbiguousFailures: Bool
    /// Whether a 404 is an answer (`nil` result) rather than an error.
    var notFoundIsAnswer = false
    var context: ReleaseError.Context

    init(
        operation: String, method: HTTPMethod, path: String, route: String, body: JSONValue? = nil,
        isBeta: Bool = true, context: ReleaseError.Context = .init()
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.route = "\(method.rawValue) \(route)"
        self.body = body
        self.isBeta = isBeta
        self.retriesAmbiguousFailures = [.GET, .PUT, .DELETE, .HEAD].contains(method)
        self.context = context
    }
}

/// A successful response.
struct APIResponse: Sendable {
    var status: Int
    /// The parsed body; `nil` when empty (204).
    var json: JSONValue?
    /// The response headers (rate limits, `Date`).
    var headers: HTTPHeaders = [:]
}

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters pass).
func percentEncoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            encoded.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return encoded
}
