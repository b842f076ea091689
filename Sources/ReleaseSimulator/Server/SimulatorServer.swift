import Foundation
import Hummingbird
import Logging
import NIOCore

/// A running release API simulator: a Hummingbird server on loopback, started and
/// stopped in-process. The admin methods have the same effect as the `/_sim/` endpoints.
public final class SimulatorServer: Sendable {
    /// The port the server is bound to.
    public let port: Int
    /// The address to point a client at, e.g. `http://127.0.0.1:54321`.
    public let baseURL: String
    /// The token the server accepts in the `Authorization` header.
    public var accessToken: String { state.accessToken }
    /// The API dialect the server speaks.
    public var dialect: SimulatorDialect { state.dialect }

    private let state: SimulatorState
    private let serverTask: Task<Void, any Error>

    private init(port: Int, host: String, state: SimulatorState, serverTask: Task<Void, any Error>) {
        self.port = port
        baseURL = "http://\(host):\(port)"
        self.state = state
        self.serverTask = serverTask
    }

    /// Binds the server and returns once it accepts connections.
    public static func start(_ configuration: SimulatorConfiguration) async throws -> SimulatorServer {
        let state = SimulatorState(configuration)
        var logger = Logger(label: "ldrun.simulator")
        // Stopping cancels the server, which Hummingbird reports at error level.
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let application = Application(
            router: SimulatorRouter.make(state: state),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil
            ),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let serverTask = Task {
            do {
                try await application.run()
                portContinuation.finish()
            } catch {
                portContinuation.finish(throwing: error)
                throw error
            }
        }
        do {
            for try await port in ports {
                return SimulatorServer(port: port, host: configuration.host, state: state, serverTask: serverTask)
            }
        } catch {
            serverTask.cancel()
            throw error
        }
        serverTask.cancel()
        throw SimulatorError(status: 500, code: "not_started", message: "the simulator stopped before it was listening")
    }

    /// Stops accepting requests, closes connections and waits until the server is down.
    public func stop() async {
        serverTask.cancel()
        _ = await serverTask.result
    }

    // MARK: In-process admin

    /// Approves a started phase that requires approval (`nil` = the active phase).
    public func approve(project: String, flag: String, phaseId: String? = nil) async throws {
        _ = try await state.store.apply(.approve, project: project, flag: flag, phaseId: phaseId)
    }

    /// Makes a started, guarded phase regress, pausing it (`nil` = the active phase).
    public func regress(project: String, flag: String, phaseId: String? = nil) async throws {
        _ = try await state.store.apply(.regress, project: project, flag: flag, phaseId: phaseId)
    }

    /// Completes a started or paused phase now (`nil` = the active phase).
    public func complete(project: String, flag: String, phaseId: String? = nil) async throws {
        _ = try await state.store.apply(.complete, project: project, flag: flag, phaseId: phaseId)
    }

    /// Replaces the fault plan; counts and the random sequence start over.
    public func setFaults(_ plan: FaultPlan) async {
        await state.faults.setPlan(plan)
    }

    /// Every API request so far (not admin ones), in arrival order.
    public func requestLog() async -> [SimulatorRequestRecord] {
        await state.log.records
    }

    /// Empties the request log.
    public func clearRequestLog() async {
        await state.log.clear()
    }

    /// Starts over as `configuration` describes: its data, dialect, phase duration, clock,
    /// timed actions, faults and random seed, with an empty request log. The address, the
    /// token and the rate limit stay, so clients pointed at the server go on working.
    public func reconfigure(_ configuration: SimulatorConfiguration) async {
        await state.reconfigure(configuration)
    }

    /// Gives a flag a release that is already part-way through, as if earlier runs had
    /// taken it there (its phases' dates are now).
    public func prepare(_ release: PreparedRelease, project: String) async throws {
        _ = try await state.store.prepare(release, project: project)
    }

    /// The release of a flag as `GET` would answer it (JSON), without going through the
    /// request log, the rate limit or faults; nil when the flag has none.
    public func releaseJSON(project: String, flag: String) async -> Data? {
        guard let release = try? await state.store.release(project: project, flag: flag) else { return nil }
        return try? JSONResponse.encode(release)
    }

    /// The name of a phase of a flag's release, given its id.
    public func phaseName(project: String, flag: String, id: String) async -> String? {
        await state.store.phaseName(project: project, flag: flag, id: id)
    }

    /// The names of a flag's release phases, in order; empty when it has no release.
    public func phaseNames(project: String, flag: String) async -> [String] {
        await state.store.phaseNames(project: project, flag: flag)
    }

    /// Restores the seed's data and starts a new rate-limit window; faults and the log stay.
    public func reset() async {
        await state.reset()
    }
}
