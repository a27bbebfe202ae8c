/// Where something is: a file and, when known, a line and column (both 1-based).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }

    public func offset(column extra: Int) -> SourceLocation {
        var copy = self
        if let c = column { copy.column = c + extra }
        return copy
    }
}

/// One problem found while checking configuration or input, with its place and, where we can, a fix.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var location: SourceLocation
    public var message: String
    public var hint: String?
    public var severity: Severity

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, severity: Severity = .error) {
        self.location = location
        self.message = message
        self.hint = hint
        self.severity = severity
    }

    public var description: String {
        var s = "\(location): \(severity.rawValue): \(message)"
        if let hint { s += " (\(hint))" }
        return s
    }
}

/// Every problem found in one checking pass: we report them all, not just the first.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Suggests the closest known name for a misspelt one ("did you mean …?").
public func closestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    let w = Array(word.lowercased().unicodeScalars)
    for candidate in candidates {
        let d = editDistance(w, Array(candidate.lowercased().unicodeScalars))
        if best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
    }
    guard let (name, distance) = best else { return nil }
    // A suggestion must share something with the word: "E" → "A" is a different value, not a typo.
    return distance < w.count && distance <= max(2, w.count / 3) ? name : nil
}

func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
