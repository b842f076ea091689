extension ReleaseClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The LaunchDarkly instances with a fixed base URL (`BaseURL.Instance`).
    public typealias Instance = BaseURL.Instance

    /// The settings without the token, so printing a configuration never leaks it.
    public var description: String {
        "ReleaseClientConfiguration(baseURL: \(baseURL), defaultProject: \(defaultProject ?? "nil"), "
            + "accessToken: [redacted], timeouts: \(timeouts), retry: \(retry), userAgent: \(userAgent))"
    }

    public var debugDescription: String { description }

    /// A mirror without the token, for `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessToken": "[redacted]", "baseURL": baseURL, "defaultProject": defaultProject as Any,
                "timeouts": timeouts, "retry": retry, "userAgent": userAgent, "pageSize": pageSize,
            ], displayStyle: .struct)
    }
}
