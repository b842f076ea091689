import Foundation
import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage, the connection (so a fault can
/// drop it) and the request body, read once up front so it can be logged and decoded.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var body = ByteBuffer()

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Decodes the JSON body, naming the offending field when it does not fit.
    func decodeBody<Body: Decodable>(_ type: Body.Type) throws(SimulatorError) -> Body {
        guard body.readableBytes > 0 else { throw .invalidRequest("body: a JSON body is required") }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw .invalidRequest(error.fieldDescription)
        } catch {
            throw .invalidRequest("body is not valid JSON")
        }
    }

    /// A path parameter that the route pattern guarantees.
    func parameter(_ name: String) -> String { parameters.get(name) ?? "" }
}
