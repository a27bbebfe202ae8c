import Hummingbird
import Logging
@testable import WebApp

/// Sends requests straight to the router's responder: no socket, no HTTP client. It does what a served
/// request goes through after the HTTP parser (routing, body collection, the route, the response body),
/// which is all that the access, session and audit code sees. It replaces HummingbirdTesting, whose HTTP
/// client (AsyncHTTPClient, NIOSSL, BoringSSL) cost every fresh clone several minutes of building.
/// The real server (sockets, `digitag serve`) is exercised by ServeStartTests and the browser test.
struct InProcessClient: Sendable {
    let responder: RouterResponder<WebContext>
    let logger = Logger(label: "digitag.test")

    init(_ service: WebService) { responder = WebServer.router(service).buildResponder() }

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: [UInt8]
    }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> Reply {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer()))
        let context = WebContext(coreContext: .init(source: Source(logger: logger)), peerAddress: nil)
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as HTTPError {
            // What the server would answer for an error a route throws (an oversized body, an unknown path).
            response = Response(status: error.status, headers: error.headers)
        } catch {
            response = Response(status: .internalServerError)
        }
        let collector = Collector()
        try await response.body.write(collector)
        return Reply(status: response.status, headers: response.headers, body: collector.bytes)
    }

    private struct Source: RequestContextSource { let logger: Logger }

    /// Gathers the body the route wrote.
    private final class Collector: ResponseBodyWriter {
        var bytes: [UInt8] = []
        func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
