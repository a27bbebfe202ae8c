import DigiTagBase
import Foundation
import Hummingbird

#if canImport(Glibc)
    import Glibc
#endif

/// `WebService` on Hummingbird: one route per `Route`, each turned into a `WebRequest` and back.
public enum WebServer {
    /// A header field (HTTPTypes' `HTTPField`, reached through the type Hummingbird exports).
    typealias Field = HTTPFields.Element

    public static func router(_ service: WebService) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/search"]) }
        for route in Route.allCases {
            let path = RouterPath(route.path.replacingOccurrences(of: "{uscc}", with: ":uscc").replacingOccurrences(of: "{task}", with: ":task"))
            router.on(path, method: HTTPRequest.Method(route.method)!) { request, context in
                try await respond(service, route, request, context)
            }
        }
        return router
    }

    static func respond(_ service: WebService, _ route: Route, _ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        var form: [String: String] = [:]
        var files: [String: WebRequest.Upload] = [:]
        var headers: [String: String] = [:]
        for field in request.headers {
            // A repeated field is one value (RFC 9110 §5.3); cookies split over several fields (HTTP/2, or
            // HTTPFields' own cookie setter) join with "; " (RFC 9113 §8.2.3), so no cookie is lost.
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + (name == "cookie" ? "; " : ", ") + field.value } ?? field.value
        }
        if route.method == "POST" || route.method == "DELETE" {
            let body = try await request.collectBody(upTo: route.acceptsUpload ? WebContext.maxResultsUpload : context.maxUploadSize)
            if let boundary = MultipartForm.boundary(contentType: headers["content-type"]) {
                // A form with a file field (results upload): browsers send it as multipart/form-data.
                let parts = MultipartForm.parse(Array(body.readableBytesView), boundary: boundary)
                form = parts.fields
                files = parts.files
            } else {
                form = WebRequest.decodeForm(Substring(String(buffer: body)))
            }
        }
        var address = context.peerAddress ?? "unknown"
        if service.configuration.trustProxy, let forwarded = headers["x-forwarded-for"] {
            address = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? address
        }
        let web = WebRequest(
            method: route.method, path: request.uri.path, query: WebRequest.decodeForm(Substring(request.uri.query ?? "")), form: form,
            cookies: WebRequest.decodeCookies(headers["cookie"]), headers: headers, address: address, files: files)
        let parameter = context.parameters.get("uscc") ?? context.parameters.get("task")
        // Off the cooperative pool: the answer reads the store and waits for the audit log's fsync.
        let answer = await RequestThreads.shared.run { service.respond(route, web, parameter: parameter) }
        var fields = HTTPFields()
        fields[.contentType] = answer.contentType
        for (name, value) in answer.headers { fields.append(Field(name: Field.Name(name)!, value: value)) }
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The application, not yet running: `digitag serve` runs it, the tests drive it in-process.
    public static func application(_ service: WebService) -> some ApplicationProtocol {
        Application(
            router: router(service),
            configuration: .init(address: .hostname(service.configuration.host, port: service.configuration.port), serverName: "digitag"))
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public static func run(_ service: WebService) async throws {
        try await application(service).runService()
    }

    /// Refuses to start on an address another process listens on, with the contract's environment code
    /// (the same check the server's own bind makes, done first so the message is ours).
    public static func checkAddressFree(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw ServeError(.usage, "cannot listen on \(host):\(port): not an address of this machine")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw ServeError(.environment, "cannot open a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            let code = errno
            throw ServeError(
                .environment, "cannot listen on \(host):\(port): \(String(cString: strerror(code)))",
                advice: code == EADDRINUSE ? "another program listens there: stop it, or choose another --listen address" : nil)
        }
    }
}
