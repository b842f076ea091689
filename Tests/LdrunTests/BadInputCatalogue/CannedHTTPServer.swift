import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A misbehaving HTTP server on 127.0.0.1: every request gets the same raw bytes back, then
/// the connection is closed. It lets the catalogue answer what the simulator never would
/// (absurd headers, HTML, a body cut short) without anything reaching the network.
final class CannedHTTPServer: @unchecked Sendable {
    /// The port the server listens on.
    let port: Int
    private let listener: Int32
    private let response: [UInt8]

    /// Starts listening on an ephemeral loopback port and answers every request with `response`.
    init(response: [UInt8]) throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw CannedServerError("socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            close(socketFD)
            throw CannedServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = socketFD
        self.response = response
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The base URI to give `ldrun`.
    var baseURI: String { "http://127.0.0.1:\(port)" }

    /// Stops accepting connections. The serving thread closes the socket as it leaves, so
    /// it never calls `accept` on a descriptor number that something else has reused.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            readRequest(connection)
            response.withUnsafeBytes { bytes in
                var sent = 0
                while sent < bytes.count {
                    let written = send(connection, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                    if written <= 0 { break }
                    sent += written
                }
            }
            shutdown(connection, Int32(SHUT_WR))
            close(connection)
        }
    }

    /// Reads the request head and as much of the body as `Content-Length` announces.
    private func readRequest(_ connection: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var bodyNeeded: Int?
        var headEnd = 0
        while true {
            if let needed = bodyNeeded, received.count - headEnd >= needed { return }
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received += buffer[0..<count]
            if bodyNeeded == nil, let range = Self.find(separator, in: received) {
                headEnd = range
                let head = String(decoding: received[0..<range], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                bodyNeeded =
                    length.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
                    ?? 0
            }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return start + needle.count
        }
        return nil
    }
}

struct CannedServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One raw HTTP answer of the canned server.
struct CannedResponse: Sendable {
    var status: String
    var headers: [String]
    var body: String
    /// Announce this many more body bytes than are sent (a body cut short).
    var missingBytes = 0

    var bytes: [UInt8] {
        var head = "HTTP/1.1 \(status)\r\n"
        for header in headers { head += header + "\r\n" }
        head += "Content-Length: \(body.utf8.count + missingBytes)\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }

    /// A JSON answer with the given status and extra headers.
    static func json(_ status: String, _ body: String, headers: [String] = []) -> CannedResponse {
        CannedResponse(status: status, headers: ["Content-Type: application/json"] + headers, body: body)
    }
}
