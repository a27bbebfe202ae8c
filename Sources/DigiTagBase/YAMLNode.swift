import Yams

/// A YAML node together with the file it came from, so every accessor can report `file:line:column`.
///
/// Configuration readers walk these instead of decoding with `Codable`: that is what lets them report
/// every unknown key, wrong type and missing field with its place, and keep going.
public struct YAMLNode: @unchecked Sendable {
    // Yams' `Node` is an immutable value tree; it is not marked Sendable upstream.
    public let node: Node
    public let file: String

    public init(_ node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Parses a whole file's text. A YAML syntax error becomes a diagnostic with its place.
    public static func parse(_ text: String, file: String) throws(DiagnosticsError) -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return YAMLNode(Node.mapping(Node.Mapping([])), file: file)
            }
            return YAMLNode(node, file: file)
        } catch let error as YamlError {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: file), "not valid YAML: \(error)")])
        } catch {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: file), "not valid YAML: \(error)")])
        }
    }

    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    public var isMapping: Bool { if case .mapping = node { true } else { false } }
    public var isSequence: Bool { if case .sequence = node { true } else { false } }
    public var isNull: Bool { if case .scalar(let s) = node { s.string == "~" || s.string == "null" || (s.string.isEmpty && s.style == .plain) } else { false } }

    /// Key-value pairs of a mapping in file order (empty for other nodes).
    public var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)] {
        guard case .mapping(let m) = node else { return [] }
        return m.map { pair in
            (
                pair.key.string ?? "", SourceLocation(file: file, line: pair.key.mark?.line, column: pair.key.mark?.column),
                YAMLNode(pair.value, file: file)
            )
        }
    }

    public var items: [YAMLNode] {
        guard case .sequence(let s) = node else { return [] }
        return s.map { YAMLNode($0, file: file) }
    }

    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let m) = node, let v = m[key] else { return nil }
        return YAMLNode(v, file: file)
    }

    /// The scalar's text as written (numbers and booleans too); `nil` for mappings and sequences.
    public var scalarText: String? {
        if case .scalar(let s) = node { return s.string }
        return nil
    }
}

/// Reads a mapping's fields by name, collecting diagnostics instead of stopping at the first.
public struct YAMLFieldReader {
    public let node: YAMLNode
    public let what: String
    private var known: Set<String> = []
    public private(set) var diagnostics: [Diagnostic] = []

    public init(_ node: YAMLNode, what: String) {
        self.node = node
        self.what = what
        if !node.isMapping {
            diagnostics.append(Diagnostic(node.location, "\(what) must be a mapping of keys to values"))
        }
    }

    public mutating func report(_ d: Diagnostic) { diagnostics.append(d) }

    public mutating func node(_ key: String, required: Bool = false) -> YAMLNode? {
        known.insert(key)
        guard let v = node[key] else {
            if required && node.isMapping {
                diagnostics.append(Diagnostic(node.location, "\(what) is missing the required key '\(key)'"))
            }
            return nil
        }
        return v
    }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let v = node(key, required: required) else { return nil }
        guard let s = v.scalarText else {
            diagnostics.append(Diagnostic(v.location, "'\(key)' must be text"))
            return nil
        }
        return s
    }

    public mutating func double(_ key: String, required: Bool = false) -> Double? {
        guard let v = node(key, required: required) else { return nil }
        guard let s = v.scalarText, let d = Double(s) else {
            diagnostics.append(Diagnostic(v.location, "'\(key)' must be a number, found '\(v.scalarText ?? "a block")'"))
            return nil
        }
        return d
    }

    public mutating func int(_ key: String, required: Bool = false) -> Int? {
        guard let v = node(key, required: required) else { return nil }
        guard let s = v.scalarText, let d = Int(s) else {
            diagnostics.append(Diagnostic(v.location, "'\(key)' must be a whole number, found '\(v.scalarText ?? "a block")'"))
            return nil
        }
        return d
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let v = node(key) else { return nil }
        switch v.scalarText?.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            diagnostics.append(Diagnostic(v.location, "'\(key)' must be true or false"))
            return nil
        }
    }

    public mutating func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let v = node(key, required: required) else { return nil }
        if let s = v.scalarText { return [s] }
        var out: [String] = []
        for item in v.items {
            if let s = item.scalarText { out.append(s) } else {
                diagnostics.append(Diagnostic(item.location, "'\(key)' must be a list of text values"))
            }
        }
        return out
    }

    /// Reports every key of the mapping that no accessor asked for, with a suggestion.
    public mutating func finish() -> [Diagnostic] {
        for (key, location, _) in node.pairs where !known.contains(key) {
            let hint = closestMatch(to: key, in: known).map { "did you mean '\($0)'?" }
            diagnostics.append(Diagnostic(location, "unknown key '\(key)' in \(what)", hint: hint))
        }
        return diagnostics
    }
}
