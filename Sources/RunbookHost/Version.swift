/// The ldrun version, reported by `ldrun --version` and `ldrun.version`.
public enum LdrunVersion {
    public static let current = "0.1.0"
}
