import Foundation

/// Where the LaunchDarkly API lives: a scheme, host, optional port and path prefix.
///
/// Plain `http` is accepted only for loopback hosts (127.0.0.0/8, `::1`, `localhost`), so the
/// access token never crosses a network unencrypted.
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The LaunchDarkly instances with a fixed base URL.
    public enum Instance: String, Sendable, CaseIterable {
        case commercial
        case eu
        case federal

        /// The instance's base URL.
        public var baseURL: BaseURL {
            switch self {
            case .commercial: .commercial
            case .eu: .eu
            case .federal: .federal
            }
        }
    }

    /// `https://app.launchdarkly.com`.
    public static let commercial = BaseURL(trusted: "https", host: "app.launchdarkly.com")
    /// `https://app.eu.launchdarkly.com`.
    public static let eu = BaseURL(trusted: "https", host: "app.eu.launchdarkly.com")
    /// `https://app.launchdarkly.us`.
    public static let federal = BaseURL(trusted: "https", host: "app.launchdarkly.us")

    /// `http` or `https`, lowercased.
    public let scheme: String
    /// The host name or IP address, lowercased, without brackets.
    public let host: String
    /// The port, when given.
    public let port: Int?
    /// A path prefix without a trailing slash (usually empty).
    public let pathPrefix: String

    private init(trusted scheme: String, host: String) {
        self.scheme = scheme
        self.host = host
        self.port = nil
        self.pathPrefix = ""
    }

    /// Parses `https://host[:port][/prefix]`, or a preset name (`commercial`, `eu`, `federal`).
    ///
    /// - Throws: `ReleaseError` code `config` for anything else, including plain `http` to a
    ///   host that is not loopback.
    public init(_ text: String) throws(ReleaseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let instance = Instance(rawValue: trimmed.lowercased()) {
            self = instance.baseURL
            return
        }
        let shown = Self.withoutUserInfo(trimmed)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw ReleaseError(.config, message: "base URI '\(shown)' is not an absolute http(s) URL")
        }
        guard scheme == "https" || scheme == "http" else {
            throw ReleaseError(.config, message: "base URI '\(shown)' must use https")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw ReleaseError(.config, message: "base URI '\(shown)' must not have a query, fragment or user")
        }
        self.scheme = scheme
        self.host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        self.port = components.port
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.pathPrefix = path
        if scheme == "http" && !isLoopback {
            throw ReleaseError(
                .config, message: "base URI '\(shown)' uses plain http to a host that is not loopback",
                hint: "use https; plain http is allowed only to 127.0.0.1, ::1 or localhost")
        }
    }

    /// `text` with any `user:password@` replaced by `***@`, so an error never shows a
    /// credential someone put in the URI.
    private static func withoutUserInfo(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***" + String(text[at...])
    }

    /// Whether the host is loopback: `localhost`, 127.0.0.0/8 or `::1`. Other `*.localhost`
    /// names do not count: they are resolved through DNS, so their address is not certain.
    public var isLoopback: Bool {
        if host == "localhost" { return true }
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// `scheme://host[:port]`, the origin the token may be sent to.
    public var origin: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(scheme)://\(hostPart):\($0)" } ?? "\(scheme)://\(hostPart)"
    }

    /// The absolute URL of `path` (which starts with `/`).
    public func url(path: String) -> String { origin + pathPrefix + path }

    public var description: String { origin + pathPrefix }
}
