import DigiTagBase

/// `digitag run --encoding`: the encoding one night's delivery came in, when it is not what sources.yaml
/// declares (an older system exporting GB18030 for once). Applies to this run only; the manifest records
/// per file the encoding it was read in, and the pipeline (and its hash) stay as they are.
///
/// `--encoding gb18030` sets every source; `--encoding SOURCE=gb18030` (repeatable) one source, and wins
/// over the first form for that source.
public struct EncodingOverride: Sendable, Equatable {
    /// Every source's encoding, unless `bySource` names the source.
    public var all: TextEncoding?
    public var bySource: [String: TextEncoding]

    public static let none = EncodingOverride(all: nil, bySource: [:])

    public init(all: TextEncoding?, bySource: [String: TextEncoding]) {
        self.all = all
        self.bySource = bySource
    }

    /// Parses the option's values. The message of an error names the accepted encodings.
    public init(arguments: [String]) throws(EncodingOverrideError) {
        var all: TextEncoding?
        var bySource: [String: TextEncoding] = [:]
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts.count == 2 ? parts[1] : parts[0]
            guard let encoding = TextEncoding(name: name) else {
                throw EncodingOverrideError(
                    message: "--encoding: unknown encoding '\(name)' (one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if parts.count == 2 {
                let source = parts[0]
                guard !source.isEmpty else { throw EncodingOverrideError(message: "--encoding: a source name is missing before '=' in '\(argument)'") }
                if let earlier = bySource[source], earlier != encoding {
                    throw EncodingOverrideError(message: "--encoding: source \(source) given twice (\(earlier.rawValue) and \(encoding.rawValue))")
                }
                bySource[source] = encoding
            } else {
                if let all, all != encoding {
                    throw EncodingOverrideError(
                        message: "--encoding: two encodings for all sources (\(all.rawValue) and \(encoding.rawValue)); name one source as SOURCE=ENCODING")
                }
                all = encoding
            }
        }
        self.init(all: all, bySource: bySource)
    }

    /// Sets the sources' encodings; a source name the pipeline does not have is a usage error naming them.
    public func apply(to catalog: inout SourceCatalog) throws(EncodingOverrideError) {
        let names = catalog.sources.map(\.name)
        for source in bySource.keys.sorted() where !names.contains(source) {
            let hint = closestMatch(to: source, in: names).map { " (did you mean \($0)?)" } ?? ""
            throw EncodingOverrideError(
                message: "--encoding: unknown source '\(source)'\(hint); the pipeline's sources are \(names.joined(separator: ", "))")
        }
        for i in catalog.sources.indices {
            if let e = bySource[catalog.sources[i].name] ?? all { catalog.sources[i].encoding = e }
        }
    }
}

/// A wrong `--encoding` value: an unknown encoding or source (wrong usage, exit 64).
public struct EncodingOverrideError: DigitagError, Sendable {
    public var exitStatus: ExitStatus { .usage }
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}
