import ReleaseCore

/// What an interactive session shows: a banner naming where calls go, and a prompt that
/// marks a dry run.
public enum ReplBanner {
    /// The first line of a REPL: the version, the instance (or base URI), the default
    /// project and `DRY RUN` when writes are only planned, then how to leave. The token is
    /// never part of it.
    ///
    /// `ldrun 0.9.0 (Lua 5.4.6) · eu (https://app.eu.launchdarkly.com) · project web · DRY RUN`
    public static func text(
        version: String, luaVersion: String, configuration: RunbookHostConfiguration, dialect: APIDialect? = nil
    ) -> String {
        let client = configuration.client
        var parts = ["ldrun \(version) (\(luaVersion))", target(client.baseURL)]
        if let project = client.defaultProject, !project.isEmpty {
            parts.append("project \(project)")
        } else {
            parts.append("no default project")
        }
        if let dialect { parts.append("dialect \(dialect.rawValue)") }
        if configuration.dryRun { parts.append("DRY RUN") }
        return parts.joined(separator: " · ") + "\nCtrl-D to leave"
    }

    /// The line a REPL shows once the server's dialect is first known (the banner comes
    /// before any call, so it cannot name it): `(the server speaks the observed dialect)`.
    public static func dialectLine(_ dialect: APIDialect) -> String {
        "(the server speaks the \(dialect.rawValue) dialect)"
    }

    /// The prompt: `> ` for a new entry, `>> ` for a continued one; `dry-run> ` and
    /// `dry-run>> ` in a dry run.
    public static func prompt(dryRun: Bool, continued: Bool) -> String {
        (dryRun ? "dry-run" : "") + (continued ? ">> " : "> ")
    }

    /// `commercial (https://app.launchdarkly.com)` for a known instance, else the base URI.
    static func target(_ baseURL: BaseURL) -> String {
        guard let instance = BaseURL.Instance.allCases.first(where: { $0.baseURL == baseURL }) else {
            return baseURL.description
        }
        return "\(instance.rawValue) (\(baseURL.description))"
    }
}
