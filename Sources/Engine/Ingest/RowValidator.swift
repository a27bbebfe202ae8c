import DataContract
import DigiTagBase
import DigiTagIO

/// Checks one row's fields against its source's schema, each parsed from its bytes by its type, and
/// writes the row once it is accepted: to a record source's spill file or to the registration table.
///
/// The innermost step of ingest, run for every row of every file: the parsed values, codes and
/// problems live in buffers reused from row to row, and a `String` is made only to describe a problem.
/// A value type used through a local variable, so the loop reads plain arrays with no reference counting.
struct RowValidator {
    let schema: SourceSchema
    let asOf: Day
    /// The schema's USCC field.
    let keyField: Int
    private let eventField: Int
    /// Per field, copied out of the schema so the per-row loop reads plain arrays.
    private let fieldTypes: [FieldType]
    private let numberKinds: [FieldParser.NumberKind]
    private let optional: [Bool]
    private let codeTables: [ByteCodeTable?]
    /// Date fields read as empty when after the as-of date (not `planned`).
    private let unplannedDates: [Int]
    /// Per field: true for a text field of the natural key, kept as a hash (`RecordLayout.hashFields`).
    private let hashed: [Bool]

    /// The last row validated: its USCC as a key.
    private(set) var key: UInt128 = 0
    /// Per field, the last row's number (`.nan` when empty or not a number field) and code (-1 likewise).
    private(set) var values: [Double]
    private(set) var codes: [Int32]
    /// Per field, the last row's hash of a text field of the natural key (0 for other fields).
    private(set) var hashes: [UInt64]
    /// The last row's problems, in field order; empty when it is valid.
    private(set) var problems: [(field: String, reason: String)] = []

    init(schema: SourceSchema, vocabulary: Vocabulary, asOf: Day) {
        self.schema = schema
        self.asOf = asOf
        keyField = schema.fields.firstIndex { $0.type == .uscc }!
        eventField = schema.fieldIndex(schema.eventDate) ?? -1
        fieldTypes = schema.fields.map(\.type)
        numberKinds = schema.fields.map(FieldParser.NumberKind.init)
        optional = schema.fields.map(\.optional)
        codeTables = schema.fields.map { f in
            f.type.storage == .code ? ByteCodeTable(f.values.map { ($0, vocabulary.code($0) ?? -1) }) : nil
        }
        unplannedDates = schema.fields.indices.filter { schema.fields[$0].type == .date && !schema.fields[$0].planned }
        let keyTexts = Set(RecordLayout(schema: schema).hashFields)
        hashed = schema.fields.indices.map { keyTexts.contains($0) }
        values = [Double](repeating: .nan, count: schema.fields.count)
        codes = [Int32](repeating: -1, count: schema.fields.count)
        hashes = [UInt64](repeating: 0, count: schema.fields.count)
    }

    /// Parses every field of `row` (schema field `i` is in column `columnOfField[i]`) into `key`, `values`
    /// and `codes`, and lists what is wrong in `problems`.
    /// - Returns: true when every field is valid.
    /// - Complexity: O(bytes of the row); allocates only to describe a problem.
    mutating func validate(_ row: CSVRow, columnOfField: [Int]) -> Bool {
        problems.removeAll(keepingCapacity: true)
        key = 0
        for i in 0..<fieldTypes.count {
            let bytes = row.field(columnOfField[i])
            values[i] = .nan
            codes[i] = -1
            if hashed[i] { hashes[i] = KeyHash.of(bytes) }
            if bytes.isEmpty {
                if !optional[i] { problems.append((schema.fields[i].name, "required field is empty")) }
                continue
            }
            switch fieldTypes[i] {
            case .uscc:
                switch USCC.parse(bytes) {
                case .success(let k): key = k
                case .failure(let p): problems.append((schema.fields[i].name, "\(p) in '\(text(bytes))'"))
                }
            case .text:
                if let p = FieldParser.textProblem(bytes) { problems.append((schema.fields[i].name, p)) }
            case .enum, .region, .industry:
                if let c = codeTables[i]!.code(bytes) {
                    codes[i] = c
                } else {
                    problems.append((schema.fields[i].name, unknownCode(schema.fields[i], text(bytes))))
                }
            default:
                if let v = FieldParser.value(numberKinds[i], bytes) {
                    values[i] = v
                } else {
                    problems.append((schema.fields[i].name, "expected \(numberKinds[i].expectation), found '\(text(bytes))'"))
                }
            }
        }
        return problems.isEmpty
    }

    /// The rejects file's `field` and `reason` for the last row's problems.
    var rejection: (field: String, reason: String) {
        (problems.map(\.field).joined(separator: ";"), problems.map { "\($0.field): \($0.reason)" }.joined(separator: "; "))
    }

    /// Whether the last row's event happened after the as-of date: not known that night, so not kept.
    var isAfterAsOf: Bool {
        eventField >= 0 && values[eventField] > Double(asOf.value)
    }

    /// Writes the last row (`row`), accepted, to a record source's spill file, as a record of enterprise `ordinal`.
    mutating func write(ordinal: Int32, row: CSVRow, columnOfField: [Int], to spill: SpillWriter) throws {
        forgetFutureDates()
        try values.withUnsafeBufferPointer { v in
            try codes.withUnsafeBufferPointer { c in
                try hashes.withUnsafeBufferPointer { h in
                    try spill.append(ordinal: Int(ordinal), values: v, codes: c, hashes: h, row: row, columnOfField: columnOfField)
                }
            }
        }
    }

    /// Appends the last row, accepted, to the registration table; of its texts only `keptTexts` are kept.
    mutating func write(_ row: CSVRow, columnOfField: [Int], keptTexts: Set<Int>, to table: inout SourceTable) {
        forgetFutureDates()
        table.keys.append(key)
        for (i, spec) in schema.fields.enumerated() {
            switch spec.type.storage {
            case .number: table.numbers[i].append(values[i])
            case .code: table.codes[i].append(codes[i])
            case .text: if keptTexts.contains(i) { table.texts[i].append(row.field(columnOfField[i])) }
            case .key: break
            }
        }
        table.didAppendRow()
    }

    /// A date after the as-of date (a removal not yet happened) is not known that night, unless planned.
    @inline(__always)
    private mutating func forgetFutureDates() {
        let asOfValue = Double(asOf.value)
        for i in unplannedDates where values[i] > asOfValue { values[i] = .nan }
    }

    /// A field's bytes as shown in a reason: at most 60 characters.
    private func text(_ b: UnsafeRawBufferPointer) -> String {
        let s = String(decoding: b, as: UTF8.self)
        return s.count > 60 ? String(s.prefix(60)) + "…" : s
    }

    private func unknownCode(_ spec: FieldSpec, _ value: String) -> String {
        switch spec.type {
        case .region: return "unknown region code '\(value)' (expected a county code from regions.csv)"
        case .industry: return "unknown industry code '\(value)' (expected a GB/T 4754 division such as C13)"
        default:
            let hint = closestMatch(to: value, in: spec.values).map { ", did you mean '\($0)'?" } ?? ""
            return "unknown code '\(value)' (expected one of \(spec.values.joined(separator: ", "))\(hint))"
        }
    }
}
