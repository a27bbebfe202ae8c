import Hummingbird

/// Hummingbird's per-request context, with the peer's address (nil in the in-process test framework).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Forms and API bodies are small: sign-in fields, a results file later.
    public var maxUploadSize: Int { 1 << 20 }
}
