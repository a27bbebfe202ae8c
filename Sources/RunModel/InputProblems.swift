import DigiTagBase

/// Bad input files (exit 3): every problem with its file, line and field, reported together. Nothing was written.
///
/// The counterpart of `DiagnosticsError` (configuration, exit 2) for files a regulator hands in, such as
/// inspection results.
public struct InputProblems: DigitagError, Sendable {
    public var diagnostics: [Diagnostic]
    public var exitStatus: ExitStatus { .badInput }
    public var report: [String] {
        diagnostics.map(\.description) + [
            "digitag: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in the input; nothing was written"
        ]
    }

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
