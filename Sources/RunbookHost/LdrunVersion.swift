/// The ldrun version, reported by `ldrun --version` and to runbooks as `ldrun.version`.
public enum LdrunVersion {
    public static let current = "0.1.0"
}
