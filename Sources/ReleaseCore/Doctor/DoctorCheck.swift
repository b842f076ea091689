/// One line of `ldrun doctor`: what was checked, how it came out, and why.
public struct DoctorCheck: Sendable, Hashable, CustomStringConvertible {
    /// How a check came out.
    public enum Result: String, Sendable, Hashable, CaseIterable {
        case pass, warn, fail
    }

    /// A short name: `connection`, `token`, `project`, `beta`, `pipelines`, `rate-limits`,
    /// `dialect`, `clock`.
    public var name: String
    public var result: Result
    /// Why, in one line. Never contains the access token.
    public var detail: String

    public init(_ name: String, _ result: Result, _ detail: String) {
        self.name = name
        self.result = result
        self.detail = detail
    }

    /// `pass  token        accepted`.
    public var description: String {
        let padded = name.count < 12 ? name + String(repeating: " ", count: 12 - name.count) : name
        return "\(result.rawValue)  \(padded) \(detail)"
    }
}
