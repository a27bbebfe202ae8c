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
    /// Parses and writes each row; copied into each file's loop, so its buffers are reused row to row.
    private let rowValidator: RowValidator
    /// For record sources: enterprise key → ordinal in USCC order (-1: established after the as-of date).
    /// For the registration source: nil.
    private let enterprises: [UInt128: Int32]?
    /// For record sources: where accepted rows go.
    private let spill: SpillWriter?
    /// For the registration source: key → first line seen, to reject duplicates.
    private var seenKeys: [UInt128: Int] = [:]
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
        rejects = try CSVWriter(path: rejectsPath, header: ["file", "line", "field", "reason", "raw"], formulaSafe: true)
        rowValidator = RowValidator(schema: schema, vocabulary: vocabulary, asOf: asOf)
    }

    public func finish() throws { try rejects.close() }

    /// Ingests one file. Throws `InputError` only for problems that make the whole file unusable.
    public func ingest(file: String) throws {
        var header: [String]?
        var columnOfField = [Int](repeating: -1, count: schema.fields.count)
        var fileStats = FileStats(
            path: file, bytes: 0, sha256: "", rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsAfterAsOf: 0, extraColumns: [],
            encoding: schema.encoding.rawValue)
        var validator = rowValidator
        let reader = try CSVReader(
            path: file, lineBreaks: schema.multiline ? .sourceDefault : .forbidden, encoding: schema.encoding)
        let digest: (bytes: Int, sha256: String)
        do {
            digest = try reader.read(
                onRow: { row in
                    guard let columns = header?.count else {
                        header = row.strings
                        try mapHeader(header!, file: file, into: &columnOfField, stats: &fileStats)
                        return
                    }
                    try take(row, file: file, columns: columns, columnOfField: columnOfField, validator: &validator, stats: &fileStats)
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
        } catch var e as TextEncodingError {
            e.source = schema.name
            throw e
        }
        if header == nil { throw InputError(file: file, message: "the file is empty: a header row is required") }
        fileStats.bytes = digest.bytes
        fileStats.sha256 = digest.sha256
        stats.append(fileStats)
    }

    /// One data row, counted in `stats`: rejected with its reason, or accepted and written — unless it
    /// happened after the as-of date (or its enterprise was established after it), when it is only counted.
    @inline(__always)
    private func take(
        _ row: CSVRow, file: String, columns: Int, columnOfField: [Int], validator: inout RowValidator, stats: inout FileStats
    ) throws {
        stats.rowsRead += 1
        guard row.count == columns else {
            stats.rowsRejected += 1
            try reject(
                file: file, line: row.line, field: "", reason: "expected \(columns) fields as in the header, found \(row.count)",
                raw: row.strings)
            return
        }
        guard validator.validate(row, columnOfField: columnOfField) else {
            stats.rowsRejected += 1
            if enterprises == nil, validator.key != 0 { rejectedKeys[validator.key] = "\(file):\(row.line)" }
            let rejection = validator.rejection
            try reject(file: file, line: row.line, field: rejection.field, reason: rejection.reason, raw: row.strings)
            return
        }
        let key = validator.key
        var ordinal: Int32 = 0
        if let enterprises {
            guard let o = enterprises[key] else {
                stats.rowsRejected += 1
                try reject(
                    file: file, line: row.line, field: schema.fields[validator.keyField].name,
                    reason: rejectedRegistrations[key].map { "registration row rejected at \($0)" }
                        ?? "no registration record for USCC \(USCC.text(key))", raw: row.strings)
                return
            }
            ordinal = o
        } else if let first = seenKeys[key] {
            stats.rowsRejected += 1
            try reject(
                file: file, line: row.line, field: schema.fields[validator.keyField].name,
                reason: "duplicate registration of USCC \(USCC.text(key)) (first at line \(first))", raw: row.strings)
            return
        } else {
            seenKeys[key] = row.line
        }
        stats.rowsAccepted += 1
        if ordinal < 0 || validator.isAfterAsOf {
            stats.rowsAfterAsOf += 1
            if enterprises == nil { futureKeys.append(key) }
            return
        }
        if let spill {
            try validator.write(ordinal: ordinal, row: row, columnOfField: columnOfField, to: spill)
        } else {
            validator.write(row, columnOfField: columnOfField, keptTexts: keptTexts, to: &table)
        }
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
