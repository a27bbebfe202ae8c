import DataContract
import DigiTagBase
import DigiTagIO

/// Reads one source's files, validating every field and writing every rejected row.
///
/// One pass per file: libcsv hands rows over, each field is parsed from its bytes by its schema type,
/// and the row is either kept or written to the rejects file with its file, line, field and reason.
/// The registration source is kept in memory (`table`); a record source's rows go to a spill file,
/// partitioned by shard (`spill`). Point in time: a row whose event date is after the as-of date is
/// counted but not kept; any other date after the as-of date is stored as empty (not yet known that night).
public final class SourceIngestor {
    public let schema: SourceSchema
    public let asOf: Day
    public private(set) var table: SourceTable
    public private(set) var stats: [FileStats] = []
    /// Registration source only: enterprises established after the as-of date (their records are ignored too).
    public private(set) var futureKeys: [UInt128] = []
    /// Registration source only: USCCs whose registration row was rejected → "file:line", so a record of
    /// such an enterprise says why it has no registration.
    public private(set) var rejectedKeys: [UInt128: String] = [:]
    /// Record sources: the registration source's `rejectedKeys`.
    var rejectedRegistrations: [UInt128: String] = [:]

    private let rejects: CSVWriter
    private let codeTables: [ByteCodeTable?]
    /// For record sources: enterprise key → ordinal in USCC order (-1: established after the as-of date).
    /// For the registration source: nil.
    private let enterprises: [UInt128: Int32]?
    /// For record sources: where accepted rows go.
    private let spill: SpillWriter?
    /// For the registration source: key → first line seen, to reject duplicates.
    private var seenKeys: [UInt128: Int] = [:]
    private let eventField: Int
    private let keyField: Int
    /// Per field, copied out of the schema so the per-row loop reads plain arrays.
    private let fieldTypes: [FieldType]
    private let numberKinds: [FieldParser.NumberKind]
    private let optional: [Bool]
    /// Date fields read as empty when after the as-of date (not `planned`).
    private let unplannedDates: [Int]
    /// Registration text fields kept (names shown to people, the peer key); others are only validated.
    private let keptTexts: Set<Int>

    /// The registration source: rows kept in `table`.
    public convenience init(schema: SourceSchema, vocabulary: Vocabulary, asOf: Day, keepTexts: Set<String>, rejectsPath: String) throws {
        try self.init(
            schema: schema, vocabulary: vocabulary, asOf: asOf, enterprises: nil, spill: nil,
            keptTexts: Set(schema.fields.indices.filter { keepTexts.contains(schema.fields[$0].name) }), rejectsPath: rejectsPath)
    }

    /// A record source: rows of known enterprises go to `spill`.
    convenience init(schema: SourceSchema, vocabulary: Vocabulary, asOf: Day, enterprises: [UInt128: Int32], spill: SpillWriter, rejectsPath: String)
        throws
    {
        try self.init(
            schema: schema, vocabulary: vocabulary, asOf: asOf, enterprises: enterprises, spill: spill, keptTexts: [],
            rejectsPath: rejectsPath)
    }

    private init(
        schema: SourceSchema, vocabulary: Vocabulary, asOf: Day, enterprises: [UInt128: Int32]?, spill: SpillWriter?,
        keptTexts: Set<Int>, rejectsPath: String
    ) throws {
        self.schema = schema
        self.asOf = asOf
        self.enterprises = enterprises
        self.spill = spill
        self.keptTexts = keptTexts
        table = SourceTable(fieldCount: schema.fields.count)
        rejects = try CSVWriter(path: rejectsPath, header: ["file", "line", "field", "reason", "raw"])
        codeTables = schema.fields.map { f in
            f.type.storage == .code ? ByteCodeTable(f.values.map { ($0, vocabulary.code($0) ?? -1) }) : nil
        }
        eventField = schema.fieldIndex(schema.eventDate) ?? -1
        keyField = schema.fields.firstIndex { $0.type == .uscc }!
        fieldTypes = schema.fields.map(\.type)
        numberKinds = schema.fields.map(FieldParser.NumberKind.init)
        optional = schema.fields.map(\.optional)
        unplannedDates = schema.fields.indices.filter { schema.fields[$0].type == .date && !schema.fields[$0].planned }
    }

    public func finish() throws { try rejects.close() }

    /// Ingests one file. Throws `InputError` only for problems that make the whole file unusable.
    public func ingest(file: String) throws {
        var header: [String]?
        var columnOfField = [Int](repeating: -1, count: schema.fields.count)
        var fileStats = FileStats(
            path: file, bytes: 0, sha256: "", rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsAfterAsOf: 0, extraColumns: [])
        var values = [Double](repeating: .nan, count: schema.fields.count)
        var codes = [Int32](repeating: -1, count: schema.fields.count)
        var problems: [(field: String, reason: String)] = []
        let reader = try CSVReader(
            path: file, lineBreaks: schema.multiline ? .sourceDefault : .forbidden, encoding: schema.encoding)
        let digest: (bytes: Int, sha256: String)
        do {
            digest = try reader.read(
                onRow: { row in
                    guard header != nil else {
                        header = row.strings
                        try mapHeader(header!, file: file, into: &columnOfField, stats: &fileStats)
                        return
                    }
                    fileStats.rowsRead += 1
                    guard row.count == header!.count else {
                        fileStats.rowsRejected += 1
                        try reject(
                            file: file, line: row.line, field: "",
                            reason: "expected \(header!.count) fields as in the header, found \(row.count)", raw: row.strings)
                        return
                    }
                    problems.removeAll(keepingCapacity: true)
                    var key: UInt128 = 0
                    for i in 0..<fieldTypes.count {
                        let bytes = row.field(columnOfField[i])
                        values[i] = .nan
                        codes[i] = -1
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
                    if problems.isEmpty {
                        var ordinal: Int32 = 0
                        if let enterprises {
                            guard let o = enterprises[key] else {
                                fileStats.rowsRejected += 1
                                try reject(
                                    file: file, line: row.line, field: schema.fields[keyField].name,
                                    reason: rejectedRegistrations[key].map { "registration row rejected at \($0)" }
                                        ?? "no registration record for USCC \(USCC.text(key))", raw: row.strings)
                                return
                            }
                            ordinal = o
                        } else if let first = seenKeys[key] {
                            fileStats.rowsRejected += 1
                            try reject(
                                file: file, line: row.line, field: schema.fields[keyField].name,
                                reason: "duplicate registration of USCC \(USCC.text(key)) (first at line \(first))",
                                raw: row.strings)
                            return
                        } else {
                            seenKeys[key] = row.line
                        }
                        fileStats.rowsAccepted += 1
                        if ordinal < 0 || (eventField >= 0 && values[eventField] > Double(asOf.value)) {
                            fileStats.rowsAfterAsOf += 1
                            if enterprises == nil { futureKeys.append(key) }
                            return
                        }
                        forgetFutureDates(&values)
                        if let spill {
                            try values.withUnsafeBufferPointer { v in
                                try codes.withUnsafeBufferPointer { c in try spill.append(ordinal: Int(ordinal), values: v, codes: c) }
                            }
                        } else {
                            append(row: row, key: key, values: values, codes: codes, columnOfField: columnOfField)
                        }
                    } else {
                        fileStats.rowsRejected += 1
                        if enterprises == nil, key != 0 { rejectedKeys[key] = "\(file):\(row.line)" }
                        try reject(
                            file: file, line: row.line, field: problems.map(\.field).joined(separator: ";"),
                            reason: problems.map { "\($0.field): \($0.reason)" }.joined(separator: "; "), raw: row.strings)
                    }
                },
                onSyntaxProblem: { problem in
                    fileStats.rowsRead += 1
                    fileStats.rowsRejected += 1
                    try reject(
                        file: file, line: problem.line, field: "", reason: problem.message, raw: problem.partialFields,
                        rawLine: problem.rawLine)
                })
        } catch let e as ZstdError {
            throw InputError(file: file, message: e.message)
        } catch let e as FileReadError {
            throw InputError(file: file, message: e.message)
        }
        if header == nil { throw InputError(file: file, message: "the file is empty: a header row is required") }
        fileStats.bytes = digest.bytes
        fileStats.sha256 = digest.sha256
        stats.append(fileStats)
    }

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

    /// A date after the as-of date (a removal not yet happened) is not known that night, unless planned.
    @inline(__always)
    private func forgetFutureDates(_ values: inout [Double]) {
        let asOfValue = Double(asOf.value)
        for i in unplannedDates where values[i] > asOfValue { values[i] = .nan }
    }

    private func append(row: CSVRow, key: UInt128, values: [Double], codes: [Int32], columnOfField: [Int]) {
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

    private func mapHeader(_ header: [String], file: String, into columnOfField: inout [Int], stats: inout FileStats) throws {
        var missing: [String] = []
        for (i, f) in schema.fields.enumerated() {
            if let c = header.firstIndex(of: f.name) { columnOfField[i] = c } else { missing.append(f.name) }
        }
        if !missing.isEmpty {
            let hints = missing.compactMap { m in closestMatch(to: m, in: header).map { "'\($0)' for '\(m)'?" } }
            throw InputError(
                file: file, line: 1,
                message: "missing required column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) of source \(schema.name)"
                    + (hints.isEmpty ? "" : " (a misspelling? \(hints.joined(separator: ", ")))"))
        }
        stats.extraColumns = header.filter { h in !schema.fields.contains { $0.name == h } }
    }

    private func reject(file: String, line: Int, field: String, reason: String, raw: [String], rawLine: String? = nil) throws {
        rejects.field(file)
        rejects.field(String(line))
        rejects.field(field)
        rejects.field(reason)
        rejects.field(rawLine ?? raw.map(csvQuoted).joined(separator: ","))
        try rejects.endRow()
    }

    private func csvQuoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : s
    }
}
