import Foundation
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
        // Yams refuses the first mapping with a repeated key it meets; to report every one, each repeated key
        // found is renamed in a copy of the text (same lines, so later places stay right) and the copy parsed again.
        var copy = text
        var repeated: [Diagnostic] = []
        do {
            for _ in 0..<100 {
                do {
                    guard let node = try Yams.compose(yaml: copy) else {
                        return YAMLNode(Node.mapping(Node.Mapping([])), file: file)
                    }
                    if repeated.isEmpty { return YAMLNode(node, file: file) }
                    break
                } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
                    let found = duplicateKeys(keys, firstAt: context.mark, in: copy, file: file)
                    repeated += found
                    let places = found.compactMap { d in d.location.line.flatMap { l in d.location.column.map { (l, $0) } } }
                    guard found.allSatisfy({ $0.message.hasPrefix("duplicate key '") && $0.message.contains("already set") }) else { break }
                    copy = renamingKeys(at: places, in: copy)
                } catch where !repeated.isEmpty {
                    break
                }
            }
            throw DiagnosticsError(repeated)
        } catch let error as DiagnosticsError {
            throw error
        } catch let error as YamlError {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: file), "not valid YAML: \(error)")])
        } catch {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: file), "not valid YAML: \(error)")])
        }
    }

    /// Every repeated key of the mapping Yams refused, at the place it is repeated.
    ///
    /// Yams reports the keys and the place of one of them only; the others are found in the text: the
    /// mapping's keys are the lines whose key starts in the same column, up to a line indented less.
    /// Where that fails (a flow mapping, `{a: 1, a: 2}`), the one place Yams gives is reported.
    static func duplicateKeys(_ keys: [String], firstAt mark: Mark, in text: String, file: String) -> [Diagnostic] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        let column = mark.column - 1
        func indent(_ l: [UInt8]) -> Int? { l.firstIndex { $0 != UInt8(ascii: " ") }.flatMap { l[$0] == UInt8(ascii: "#") ? nil : $0 } }
        func key(_ l: [UInt8]) -> String? {
            guard l.count > column else { return nil }
            let rest = String(decoding: l[column...], as: UTF8.self)
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            return String(rest[..<colon]).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        }
        // The mapping's first line: up from Yams' place while lines are keys of this mapping or nested in it.
        var first = mark.line - 1
        var probe = first - 1
        while probe >= 0 {
            guard let i = indent(lines[probe]) else {  // blank or a comment
                probe -= 1
                continue
            }
            if i == column { first = probe }
            if i < column {
                // The parent, or the `- ` line of a list item whose first key is in this column.
                if lines[probe][i] == UInt8(ascii: "-"), key(lines[probe]) != nil { first = probe }
                break
            }
            probe -= 1
        }
        var seen: [String: Int] = [:]
        var out: [Diagnostic] = []
        var line = first
        while line < lines.count {
            let l = lines[line]
            if line > first, let i = indent(l), i < column { break }
            if line == first || indent(l) == column, let k = key(l), keys.contains(k) {
                if let earlier = seen[k] {
                    out.append(
                        Diagnostic(
                            SourceLocation(file: file, line: line + 1, column: column + 1), "duplicate key '\(k)': it is already set on line \(earlier)",
                            hint: "YAML keeps only one of them; remove or rename one"))
                } else {
                    seen[k] = line + 1
                }
            }
            line += 1
        }
        if out.isEmpty {
            out.append(
                Diagnostic(
                    SourceLocation(file: file, line: mark.line, column: mark.column),
                    "duplicate key\(keys.count == 1 ? "" : "s") \(keys.map { "'\($0)'" }.joined(separator: ", ")) in this mapping",
                    hint: "YAML keeps only one of them; remove or rename one"))
        }
        return out
    }

    /// The text with a marker put before the key at each (line, column), so that Yams sees distinct keys.
    static func renamingKeys(at places: [(line: Int, column: Int)], in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        for (n, place) in places.enumerated() where place.line - 1 < lines.count && place.column - 1 <= lines[place.line - 1].count {
            lines[place.line - 1].insert(contentsOf: Array("zzrepeated\(n)x".utf8), at: place.column - 1)
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
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
