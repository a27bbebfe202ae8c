import DigiTagBase

/// Why a signed-in user may not have what they asked for: a permission the role lacks, or a tag above its
/// clearance. (An enterprise outside the user's region is not refused: it is "not found".)
public struct AccessRefusal: DigitagError, Sendable {
    public let message: String
    /// A wrong request, like a query error: the command line's usage code.
    public var exitStatus: ExitStatus { .usage }
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
