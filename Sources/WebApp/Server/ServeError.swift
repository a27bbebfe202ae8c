import DigiTagBase

/// A failure of the server or its files that a person must fix: the users file, the runs folder, the
/// listening address. Says what is wrong and what to do; its exit code is the contract's.
public struct ServeError: DigitagError, Sendable {
    public let exitStatus: ExitStatus
    public let message: String
    public let advice: String?

    public init(_ status: ExitStatus, _ message: String, advice: String? = nil) {
        exitStatus = status
        self.message = message
        self.advice = advice
    }

    public var description: String { message }

    public var report: [String] { ["digitag: \(message)"] + (advice.map { ["digitag: \($0)"] } ?? []) }
}
