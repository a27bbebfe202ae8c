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

    /// Forms and API bodies are small: sign-in fields, a results file later.
    public var maxUploadSize: Int { 1 << 20 }
}
