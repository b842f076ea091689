import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport: one shared `HTTPClient` (connection pool) that never follows
/// redirects.
public final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// The largest response body accepted.
    private let maxBodyBytes: Int

    /// Creates a client on the shared event loop group.
    public init(connectTimeout: Duration = .seconds(10), maxBodyBytes: Int = 32 << 20) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(connectTimeout.totalNanoseconds)))
        )
        configuration.httpVersion = .automatic
        // A request waiting for a pooled connection fails once the connect timeout passes, so
        // a wide `parallel` over HTTP/1 (the simulator; proxies) needs more than the default 8.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
    }

    public func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(
                outgoing, timeout: .nanoseconds(Int64(timeout.totalNanoseconds)))
            var buffer = try await response.body.collect(upTo: maxBodyBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return TransportResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
        } catch let error as HTTPClientError {
            throw Self.classify(error)
        } catch let error as IOError where Self.connectFailureCodes.contains(error.errnoCode) {
            throw TransportError(.connectFailed, detail: "cannot connect: \(error)")
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw TransportError(.connectFailed, detail: "\(error)") }
            throw TransportError(.connectionLost, detail: "\(error)")
        } catch is NIOTooManyBytesError {
            throw TransportError(
                .responseTooLarge,
                detail: "the response body is larger than "
                    + (maxBodyBytes >= 1 << 20 ? "\(maxBodyBytes >> 20) MiB" : "\(maxBodyBytes) bytes"))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as TransportError {
            throw error
        } catch {
            // NIOPosix's NIOConnectionError (refused, unreachable) is matched by name so this
            // target does not depend on NIOPosix: a failed connect means nothing was sent.
            if String(describing: type(of: error)).contains("ConnectionError") {
                throw TransportError(.connectFailed, detail: "cannot connect: \(error)")
            }
            throw TransportError(.other, detail: "\(error)")
        }
    }

    /// `errno` values of a connection attempt that failed before anything was sent.
    static let connectFailureCodes: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH]

    static func classify(_ error: HTTPClientError) -> any Error {
        switch error {
        case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
            return TransportError(.connectFailed, detail: "\(error)")
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            return TransportError(.timeout, detail: "\(error)")
        case .remoteConnectionClosed:
            return TransportError(.connectionLost, detail: "\(error)")
        case .cancelled:
            return CancellationError()
        default:
            return TransportError(.other, detail: "\(error)")
        }
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }

    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
