import DigiTagBase
/// What happened to one input file: the "nothing lost" ledger, `read = accepted + rejected`.
public struct FileStats: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    public var rowsRead: Int
    public var rowsAccepted: Int
    public var rowsRejected: Int
    /// Accepted rows dated after the as-of date: valid, but not yet in existence that night.
    public var rowsAfterAsOf: Int
    /// Header columns the schema does not know (schema drift), ignored.
    public var extraColumns: [String]
    /// The encoding the file was read in (`utf-8`, `gb18030`, `gbk`): the source's, or the run's
    /// `--encoding` for this delivery. Absent in runs made before it was recorded.
    public var encoding: String? = nil

    enum CodingKeys: String, CodingKey {
        case path, bytes, sha256
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rowsAfterAsOf = "rows_after_as_of"
        case extraColumns = "extra_columns"
        case encoding
    }
}

/// The ledger of one source over all its files.
public struct SourceStats: Codable, Sendable, Equatable {
    public var source: String
    public var files: [FileStats]
    public var rowsRead: Int { files.reduce(0) { $0 + $1.rowsRead } }
    public var rowsAccepted: Int { files.reduce(0) { $0 + $1.rowsAccepted } }
    public var rowsRejected: Int { files.reduce(0) { $0 + $1.rowsRejected } }
    public var rowsAfterAsOf: Int { files.reduce(0) { $0 + $1.rowsAfterAsOf } }

    enum CodingKeys: String, CodingKey {
        case source, files
        case rowsRead = "rows_read"
        case rowsAccepted = "rows_accepted"
        case rowsRejected = "rows_rejected"
        case rowsAfterAsOf = "rows_after_as_of"
    }

    public init(source: String, files: [FileStats]) {
        self.source = source
        self.files = files
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        files = try c.decode([FileStats].self, forKey: .files)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(rowsRead, forKey: .rowsRead)
        try c.encode(rowsAccepted, forKey: .rowsAccepted)
        try c.encode(rowsRejected, forKey: .rowsRejected)
        try c.encode(rowsAfterAsOf, forKey: .rowsAfterAsOf)
        try c.encode(files, forKey: .files)
    }
}

/// An input problem that stops the run: a file that cannot be used at all (not a bad row).
public struct InputError: DigitagError, Sendable {
    public var exitStatus: ExitStatus { .badInput }
    public var report: [String] { ["digitag: bad input: \(description)"] }
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
