import Foundation
import ReleaseCore
import Synchronization

/// The release client of a run, built on the first call that needs it: a runbook that
/// makes no API call runs without a token and without a connection pool. Building is
/// thread-safe (the first caller builds, later callers share it), and ``shutdown()`` closes
/// the pool only if one was built.
final class LazyReleaseClient: Sendable {
    private let configuration: ReleaseClientConfiguration
    private let built = Mutex<ReleaseClient?>(nil)

    /// Checks everything about `configuration` except the token, which is checked when the
    /// client is first needed.
    ///
    /// - Throws: `ReleaseError` code `config` for a configuration no request could use.
    init(configuration: ReleaseClientConfiguration) throws(ReleaseError) {
        var probe = configuration
        if probe.accessToken.trimmingCharacters(in: .whitespaces).isEmpty { probe.accessToken = "unset" }
        try probe.validate()
        self.configuration = configuration
    }

    /// The client, built now if this is the first call.
    ///
    /// - Throws: `ReleaseError` code `config` naming `LD_ACCESS_TOKEN` and `--access-token`
    ///   when there is no token.
    func get() throws(ReleaseError) -> ReleaseClient {
        let result: Result<ReleaseClient, ReleaseError> = built.withLock { client in
            if let client { return .success(client) }
            do {
                try configuration.validate()
                let made = try ReleaseClient(configuration: configuration)
                client = made
                return .success(made)
            } catch let error as ReleaseError {
                return .failure(error)
            } catch {
                return .failure(ReleaseError(.config, message: "\(error)"))
            }
        }
        return try result.get()
    }

    /// The API every request goes to.
    var baseURL: BaseURL { configuration.baseURL }

    /// The client if it has been built.
    var ifBuilt: ReleaseClient? { built.withLock { $0 } }

    /// Closes the connection pool, if a client was built.
    func shutdown() async {
        try? await ifBuilt?.shutdown()
    }
}
