import DigiTagBase

/// Bad input files (exit 3): every problem with its file, line and field, reported together. Nothing was written.
///
/// The counterpart of `DiagnosticsError` (configuration, exit 2) for files a regulator hands in, such as
/// inspection results.
public struct InputProblems: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
