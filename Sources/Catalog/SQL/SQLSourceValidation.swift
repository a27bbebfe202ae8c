import DataContract
import DigiTagBase

/// A source's ingest, replayed in SQL: which rows `digitag run` accepts, and why it rejects the others.
///
/// The files are read as text, header included, into `rawColumns` generic columns (`c1`, `c2`, …), with
/// each record's file and its position in the read (`__ord`, in the engine's file order). Then, as
/// `SourceIngestor` does, row by row:
///
/// 1. a row whose number of fields differs from its file's header is rejected as such;
/// 2. every field, found by its header name, is checked by its type (`SQLFieldCheck`), all problems of
///    the row listed in field order;
/// 3. the registration keeps the first valid row of each USCC (`duplicate registration … (first at line
///    N)`); a record source rejects records of an enterprise not in that directory, naming the
///    registration row rejected for it where there is one.
///
/// The rows left (`<source>.valid`) have the columns of the source's fields typed as the tags query reads
/// them. Line numbers are the engine's: the header is line 1, and a record spans as many lines as the line
/// breaks inside its quoted fields.
///
/// DuckDB reads the files itself (`read_csv`, not in parallel, so `__ord` follows the files and their
/// rows); Spark reads a temporary view of the source's name, which `spark/digitag_tags.py` makes with the
/// same columns and each row's count of fields (`__fields`).
struct SQLSourceValidation {
    let schema: SourceSchema
    let files: [String]
    let dialect: SQLDialect
    /// The registration's validation, for a record source (nil for the registration itself).
    let registration: String?

    /// Generic columns read per row: the schema's fields and up to 16 extra columns. A row with more
    /// fields than that is still rejected, but its count of fields reads as this number.
    static func rawColumns(_ schema: SourceSchema) -> Int { schema.fields.count + 16 }

    var k: Int { Self.rawColumns(schema) }

    /// The relation of the rows accepted, typed.
    static func valid(_ source: String) -> String { "\(source).valid" }
    /// Every data row with its final verdict: `__rejected_field` and `__rejected_reason` ('' when accepted).
    static func judged(_ source: String) -> String { "\(source).judged" }
    /// Registration only: the USCCs of accepted rows (the directory), and where a USCC's row was rejected.
    static func directory(_ source: String) -> String { "\(source).directory" }
    static func rejectedKeys(_ source: String) -> String { "\(source).rejected_keys" }

    private func name(_ part: String) -> String { SQLSyntax.identifier("\(schema.name).\(part)") }
    private func column(_ i: Int) -> String { "\"c\(i)\"" }
    private var usccField: Int { schema.fields.firstIndex { $0.type == .uscc }! }

    /// The CTEs, in order.
    func ctes() -> [(name: String, body: String)] {
        let columns = (1...k).map(column)
        var out: [(name: String, body: String)] = []
        // 1. The files as text.
        let raw: String
        switch dialect {
        case .duckdb:
            let types = (1...k).map { "'c\($0)': 'VARCHAR'" }.joined(separator: ", ")
            raw = "SELECT \"filename\" AS \"__file\", row_number() OVER () AS \"__ord\", \(columns.joined(separator: ", "))\n"
                + "FROM read_csv(\(dialect.list(files)),\n  header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                + "null_padding = true, nullstr = chr(1), strict_mode = false, parallel = false, filename = true,\n  columns = {\(types)})"
        case .spark:
            // The job counts each row's fields (Spark reads a row's missing and empty last fields alike).
            raw = "SELECT \"__file\", \"__ord\", \"__fields\", \(columns.joined(separator: ", ")) FROM \(SQLSyntax.identifier(schema.name))"
        }
        out.append(("\(schema.name).raw", raw))
        // 2. Position in the file, line and count of fields.
        let newlines = columns.map { "length(coalesce(\($0), '')) - length(replace(coalesce(\($0), ''), chr(10), ''))" }.joined(separator: " + ")
        // DuckDB pads a short row with NULL and reads an empty field as '' (its NULL string is chr(1)).
        let present = dialect == .spark ? "" : ",\n  " + columns.map { "CASE WHEN \($0) IS NULL THEN 0 ELSE 1 END" }.joined(separator: " + ") + " AS \"__fields\""
        out.append(
            (
                "\(schema.name).rows",
                "SELECT *,\n  row_number() OVER (PARTITION BY \"__file\" ORDER BY \"__ord\") AS \"__index\",\n"
                    + "  1 + coalesce(sum(1 + \(newlines)) OVER (PARTITION BY \"__file\" ORDER BY \"__ord\" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS \"__line\""
                    + "\(present)\nFROM \(name("raw"))"
            ))
        // 3. Fields by header name, and each field's problem.
        let fieldColumns = schema.fields.map { f in
            "CASE " + (1...k).map { "WHEN h.\(column($0)) = \(dialect.string(f.name)) THEN r.\(column($0))" }.joined(separator: " ")
                + " END AS \(SQLSyntax.identifier(f.name))"
        }
        out.append(
            (
                "\(schema.name).fields",
                "SELECT r.\"__file\", r.\"__ord\", r.\"__line\", r.\"__fields\", h.\"__fields\" AS \"__columns\",\n"
                    + SQLSyntax.lines(fieldColumns) + "\nFROM \(name("rows")) AS r\nJOIN \(name("rows")) AS h ON h.\"__file\" = r.\"__file\" AND h.\"__index\" = 1\n"
                    + "WHERE r.\"__index\" > 1"
            ))
        let problems = schema.fields.enumerated().map { i, f in
            "\(SQLFieldCheck(spec: f, dialect: dialect).problem(SQLSyntax.identifier(f.name))) AS \"__p\(i)\""
        }
        let fieldList = schema.fields.enumerated().map { i, f in "CASE WHEN \"__p\(i)\" IS NOT NULL THEN \(dialect.string(f.name)) END" }
        let reasonList = schema.fields.enumerated().map { i, f in "\(dialect.string(f.name + ": ")) || \"__p\(i)\"" }
        let countMismatch = "\"__fields\" <> \"__columns\""
        out.append(
            (
                "\(schema.name).checked",
                "SELECT *,\n  CASE WHEN \(countMismatch) THEN '' ELSE concat_ws(';', \(fieldList.joined(separator: ", "))) END AS \"__field\",\n"
                    + "  CASE WHEN \(countMismatch) THEN \(dialect.string("expected ")) || CAST(\"__columns\" AS STRING) || "
                    + "\(dialect.string(" fields as in the header, found ")) || CAST(\"__fields\" AS STRING)\n"
                    + "    ELSE concat_ws('; ', \(reasonList.joined(separator: ", "))) END AS \"__reason\",\n"
                    + "  NOT (\(countMismatch)) AND \"__p\(usccField)\" IS NULL AND coalesce(\(SQLSyntax.identifier(schema.fields[usccField].name)), '') <> '' AS \"__keyed\"\n"
                    + "FROM (\n  SELECT *,\n\(SQLSyntax.indented(SQLSyntax.lines(problems)))\n  FROM \(name("fields"))\n)"
            ))
        // 4. The verdict: the directory (registration) or membership in it (records).
        let uscc = SQLSyntax.identifier(schema.fields[usccField].name)
        let usccName = dialect.string(schema.fields[usccField].name)
        if let registration {
            let directory = SQLSyntax.identifier(Self.directory(registration))
            let rejected = SQLSyntax.identifier(Self.rejectedKeys(registration))
            out.append(
                (
                    "\(schema.name).judged",
                    "SELECT c.*,\n  CASE WHEN c.\"__reason\" <> '' THEN c.\"__field\" WHEN d.\"uscc\" IS NULL THEN \(usccName) ELSE '' END AS \"__rejected_field\",\n"
                        + "  CASE WHEN c.\"__reason\" <> '' THEN c.\"__reason\" WHEN d.\"uscc\" IS NULL THEN coalesce(\(dialect.string("registration row rejected at ")) || k.\"at\", "
                        + "\(dialect.string("no registration record for USCC ")) || c.\(uscc)) ELSE '' END AS \"__rejected_reason\"\n"
                        // Joined on the USCC alone (an equi-join); the CASEs look at the directory only for valid rows.
                        + "FROM \(name("checked")) AS c\nLEFT JOIN \(directory) AS d ON d.\"uscc\" = c.\(uscc)\n"
                        + "LEFT JOIN \(rejected) AS k ON k.\"uscc\" = c.\(uscc)"
                ))
        } else {
            let window = "PARTITION BY \"__reason\" = '', \(uscc) ORDER BY \"__ord\""
            out.append(
                (
                    "\(schema.name).judged",
                    "SELECT *,\n  CASE WHEN \"__reason\" <> '' THEN \"__field\" WHEN \"__nth\" > 1 THEN \(usccName) ELSE '' END AS \"__rejected_field\",\n"
                        + "  CASE WHEN \"__reason\" <> '' THEN \"__reason\" WHEN \"__nth\" > 1 THEN \(dialect.string("duplicate registration of USCC ")) || \(uscc) || "
                        + "\(dialect.string(" (first at line ")) || CAST(\"__first\" AS STRING) || ')' ELSE '' END AS \"__rejected_reason\"\n"
                        + "FROM (\n  SELECT *, row_number() OVER (\(window)) AS \"__nth\",\n"
                        + "    first_value(\"__line\") OVER (\(window) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"__first\"\n"
                        + "  FROM \(name("checked"))\n)"
                ))
            out.append(
                (
                    Self.directory(schema.name),
                    "SELECT DISTINCT \(uscc) AS \"uscc\" FROM \(name("judged")) WHERE \"__rejected_reason\" = ''"
                ))
            // The engine remembers, per USCC, the last of its rows rejected for a field (not for a duplicate).
            out.append(
                (
                    Self.rejectedKeys(schema.name),
                    "SELECT \(uscc) AS \"uscc\", max_by(\"__file\" || ':' || CAST(\"__line\" AS STRING), \"__ord\") AS \"at\"\n"
                        + "FROM \(name("checked")) WHERE \"__reason\" <> '' AND \"__keyed\" GROUP BY \(uscc)"
                ))
        }
        // 5. The accepted rows, typed.
        let typed = schema.fields.map { f -> String in
            let t = "nullif(\(SQLSyntax.identifier(f.name)), '')"
            let type = SQLField(spec: f, isEventDate: false).readType(dialect)
            let value: String
            switch type {
            case "VARCHAR": value = t
            case "DATE" where f.openEnded:
                value = "CASE \(SQLSyntax.identifier(f.name)) WHEN '9999-12-31' THEN DATE '2199-12-31' WHEN '0001-01-01' THEN NULL "
                    + "ELSE try_cast(\(t) AS DATE) END"
            default: value = "try_cast(\(t) AS \(type))"
            }
            return "\(value) AS \(SQLSyntax.identifier(f.name))"
        }
        out.append(
            (
                Self.valid(schema.name),
                "SELECT \"__file\", \"__ord\" AS \"__row\",\n\(SQLSyntax.lines(typed))\nFROM \(name("judged"))\nWHERE \"__rejected_reason\" = ''"
            ))
        return out
    }

    /// The source's rejects: `source, file, line, field, reason`, one row per rejected row.
    var rejects: String {
        "SELECT \(dialect.string(schema.name)) AS \"source\", \"__file\" AS \"file\", \"__line\" AS \"line\", "
            + "\"__rejected_field\" AS \"field\", \"__rejected_reason\" AS \"reason\", \"__ord\" AS \"__ord\"\n"
            + "FROM \(name("judged"))\nWHERE \"__rejected_reason\" <> ''"
    }

    /// The source's ledger: rows read, rejected, and accepted but dated after the as-of date.
    func ledger(asOf: Day) -> String {
        var afterAsOf = "0"
        if let event = schema.field(schema.eventDate) {
            let t = "nullif(\(SQLSyntax.identifier(event.name)), '')"
            let date = event.type == .period ? "try_cast(\(t) || '-01' AS DATE)" : "try_cast(\(t) AS DATE)"
            afterAsOf = "count_if(\"__rejected_reason\" = '' AND \(date) > \(SQLSyntax.date(asOf)))"
        }
        return "SELECT \(dialect.string(schema.name)) AS \"source\", count(*) AS \"rows_read\", "
            + "count_if(\"__rejected_reason\" <> '') AS \"rows_rejected\", \(afterAsOf) AS \"rows_after_as_of\"\n"
            + "FROM \(name("judged"))"
    }
}
