import Hummingbird

/// Hummingbird's per-request context, with the peer's address (nil when the tests drive the router in process).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// A context without a connection, for driving the router in process (the tests).
    init(coreContext: CoreRequestContextStorage, peerAddress: String?) {
        self.coreContext = coreContext
        self.peerAddress = peerAddress
    }

    /// Forms and API bodies are small: sign-in fields, a replacement's reason.
    public var maxUploadSize: Int { 1 << 20 }

    /// A results file (`POST /tasks/{task}/results`): one row per inspected item, about 100 bytes, so 32 MiB
    /// holds a province-wide task's 300,000 rows; anything larger is refused (413) before it is read.
    public static let maxResultsUpload = 32 << 20
}
