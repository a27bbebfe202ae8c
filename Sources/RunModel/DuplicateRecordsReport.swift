import DataContract
import DigiTagBase
import DigiTagIO
import Engine

/// `duplicate_records` of one source in manifest.json: records left out because they repeat an earlier
/// record's natural key, and the first few of them as a person reads them (USCC and key values).
///
/// Sources that declare a key always have an entry (count 0 when clean), so a gate reading the manifest
/// can tell "checked, none" from "not checked" (a source without a key has no entry).
public struct DuplicateRecordsReport: Codable, Sendable, Equatable {
    public struct Example: Codable, Sendable, Equatable {
        public var uscc: String
        /// Key field → value as written in the delivery (the USCC field is `uscc` above).
        public var key: [String: String]
    }

    public var count: Int
    public var examples: [Example]
    /// The key's field names, in declared order (for the log line and the report).
    public var fields: [String]

    public init(count: Int, examples: [Example], fields: [String]) {
        self.count = count
        self.examples = examples
        self.fields = fields
    }

    /// One line for the log and the report, e.g. `tax_filings: 3 records repeat the key (uscc, period,
    /// tax_type) of an earlier record, not counted; e.g. 91370…, period 2024-03, tax_type vat`.
    public func sentence(source: String) -> String {
        let e = examples.first.map { e in
            "; e.g. " + ([e.uscc] + fields.compactMap { f in e.key[f].map { "\(f) \($0)" } }).joined(separator: ", ")
        }
        return "\(source): \(count) record\(count == 1 ? "" : "s") repeat\(count == 1 ? "s" : "") the key "
            + "(\(fields.joined(separator: ", "))) of an earlier record, not counted\(e ?? "")"
    }

    /// Every keyed source's duplicates, by source name, with the examples' values written as in a delivery:
    /// dates `YYYY-MM-DD`, periods `YYYY-MM`, codes as their text, and text fields (stored as hashes) read
    /// back from the source's files (`ExampleTexts`).
    /// - Complexity: reads the files of a source only when it has duplicates and its key holds a text field.
    public static func make(
        _ duplicates: [DuplicateRecords], sources: SourceCatalog, layouts: [RecordLayout?], files: [SourceStats], vocabulary: Vocabulary
    ) -> [String: DuplicateRecordsReport] {
        var out: [String: DuplicateRecordsReport] = [:]
        for (s, schema) in sources.sources.enumerated() {
            guard let layout = layouts[s], layout.hasKey else { continue }
            let found = s < duplicates.count ? duplicates[s] : DuplicateRecords()
            let texts =
                found.examples.isEmpty || layout.hashFields.isEmpty
                ? [:] : ExampleTexts.read(schema: schema, files: files[s].files.map(\.path), hashFields: layout.hashFields, usccs: Set(found.examples.map(\.uscc)))
            let examples = found.examples.map { e in
                var key: [String: String] = [:]
                for (k, f) in layout.keyFields.enumerated() {
                    key[schema.fields[f].name] = text(e.values[k], field: schema.fields[f], vocabulary: vocabulary, texts: texts)
                }
                return Example(uscc: USCC.text(e.uscc), key: key)
            }
            out[schema.name] = DuplicateRecordsReport(count: found.count, examples: examples, fields: schema.key.map { schema.fields[$0].name })
        }
        return out
    }

    private static func text(_ bits: UInt64, field: FieldSpec, vocabulary: Vocabulary, texts: [UInt64: String]) -> String {
        switch field.type.storage {
        case .code: return vocabulary.text(Int32(truncatingIfNeeded: bits)) ?? ""
        case .text: return texts[bits] ?? "(hash \(String(bits, radix: 16)))"
        case .key: return ""
        case .number:
            let v = Double(bitPattern: bits)
            if v.isNaN { return "" }
            switch field.type {
            case .date: return Day(Int32(v)).description
            case .period: return String(Day(Int32(v)).description.prefix(7))
            case .flag: return v != 0 ? "Y" : "N"
            default: return ValueFormat.number(v)
            }
        }
    }
}

/// The text of natural-key fields that a spill row holds only as hashes, read back from a source's files
/// for the few enterprises of the examples.
enum ExampleTexts {
    static func read(schema: SourceSchema, files: [String], hashFields: [Int], usccs: Set<UInt128>) -> [UInt64: String] {
        var texts: [UInt64: String] = [:]
        guard let usccField = schema.fields.firstIndex(where: { $0.type == .uscc }) else { return texts }
        for file in files {
            guard let reader = try? CSVReader(
                path: file, lineBreaks: schema.multiline ? .sourceDefault : .forbidden, encoding: schema.encoding)
            else { continue }
            var columns: [Int]?
            _ = try? reader.read(
                onRow: { row in
                    guard let map = columns else {
                        let header = row.strings
                        columns = ([usccField] + hashFields).map { f in header.firstIndex(of: schema.fields[f].name) ?? -1 }
                        return
                    }
                    guard !map.contains(-1), map.allSatisfy({ $0 < row.count }),
                        case .success(let key) = USCC.parse(row.field(map[0])), usccs.contains(key)
                    else { return }
                    for c in map.dropFirst() { texts[KeyHash.of(row.field(c))] = row.string(c) }
                }, onSyntaxProblem: { _ in })
        }
        return texts
    }
}
