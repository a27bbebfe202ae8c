import DigiTagBase

/// The SQL engine a generated query is written for: DuckDB (the oracle, analysts' laptops) or Spark SQL 4.x
/// (provincial and national data platforms).
///
/// Both dialects compute the same values; only the spelling differs, and it differs in a few places, all of
/// them here: how the query reads a source, whole days between dates, a day number back to a DATE, a DATE
/// built from parts without raising an error, the value on the latest record with its empty value kept.
/// Identifiers stay double-quoted in both: the Spark job runs with `spark.sql.ansi.enabled` (Spark 4's
/// default) and `spark.sql.ansi.doubleQuotedIdentifiers`, so tag ids with dots need no second quoting rule.
public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb
    case spark

    /// A string literal. Spark's literals take backslash escapes (`\'`, `\\`) and read `'a' 'b'` as one
    /// literal, so a doubled quote would silently drop the quote there.
    func string(_ text: String) -> String {
        switch self {
        case .duckdb: return SQLSyntax.string(text)
        case .spark:
            var out = "'"
            for c in text.unicodeScalars {
                switch c {
                case "'": out += "\\'"
                case "\\": out += "\\\\"
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "'"
        }
    }

    /// A list literal of strings, for `read_csv`'s file list.
    func list(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }

    /// Whole days from `start` to `end`, both DATE: an integer. (Spark's `end - start` is an INTERVAL DAY.)
    func daysBetween(_ end: String, _ start: String) -> String {
        switch self {
        case .duckdb: return "(\(end) - \(start))"
        case .spark: return "datediff(\(end), \(start))"
        }
    }

    /// A DATE as days since 1970-01-01.
    func dayNumber(_ date: String) -> String {
        switch self {
        case .duckdb: return "(\(date) - \(SQLSyntax.epoch))"
        case .spark: return "unix_date(\(date))"
        }
    }

    /// The DATE of a (possibly fractional) day number, truncated toward zero as the engine's `Day(Int32(v))`.
    func date(fromDayNumber x: String) -> String {
        switch self {
        case .duckdb: return "(\(SQLSyntax.epoch) + CAST(trunc(\(x)) AS INTEGER))"
        // CAST of a DOUBLE to INT truncates toward zero in Spark (its `trunc` is for dates).
        case .spark: return "date_from_unix_date(CAST(\(x) AS INT))"
        }
    }

    /// A DATE plus or minus a whole number of days (`sign` is `+` or `-`).
    func addDays(_ date: String, _ sign: String, _ days: String) -> String {
        switch self {
        case .duckdb: return "(\(date) \(sign) \(days))"
        case .spark: return sign == "+" ? "date_add(\(date), \(days))" : "date_sub(\(date), \(days))"
        }
    }

    /// A number truncated toward zero to a whole BIGINT.
    func truncatedInteger(_ x: String) -> String {
        switch self {
        case .duckdb: return "CAST(trunc(\(x)) AS BIGINT)"
        case .spark: return "CAST(\(x) AS BIGINT)"
        }
    }

    /// `make_date(y, m, d)`, NULL instead of an error when the parts make no real date.
    func makeDate(_ y: String, _ m: String, _ d: String) -> String {
        switch self {
        case .duckdb: return "try(make_date(\(y), \(m), \(d)))"
        // Spark 4 under ANSI raises on an invalid date; the check keeps make_date to real dates.
        case .spark:
            let (yi, mi, di) = ("CAST(\(y) AS INT)", "CAST(\(m) AS INT)", "CAST(\(d) AS INT)")
            return "CASE WHEN \(m) BETWEEN 1 AND 12 AND \(d) >= 1 AND \(y) BETWEEN 1 AND 9999"
                + " AND \(d) <= day(last_day(make_date(\(yi), \(mi), 1))) THEN make_date(\(yi), \(mi), \(di)) END"
        }
    }

    /// The value `x` of the row with the largest `ordering` (rows whose ordering is NULL are skipped), with
    /// `x` kept even when it is NULL. `ordering` is a list of expressions compared in turn.
    func valueOfMaximum(_ x: String, ordering: [String], when condition: String?) -> String {
        switch self {
        case .duckdb:
            let tuple = "(\(ordering.joined(separator: ", ")))"
            return "arg_max_null(\(x), \(condition.map { "CASE WHEN \($0) THEN \(tuple) END" } ?? tuple))"
        case .spark:
            let tuple = "struct(\(ordering.joined(separator: ", ")))"
            return "max_by(\(x), \(condition.map { "CASE WHEN \($0) THEN \(tuple) END" } ?? tuple))"
        }
    }

    /// A decimal's text (`-12.34`) as the Double the engine's `FieldParser.decimal` makes of it: whole part
    /// plus fraction / 10^digits, which is not always the nearest Double (`1.89` reads as 1.8900000000000001).
    /// Spark reads such columns as text and converts them with this, so the values it sums are the engine's
    /// bit for bit and `digitag run --tags-from` stores the same doubles. (DuckDB reads DOUBLE: the oracle
    /// compares values rounded to 4 decimals, where the two readings agree.)
    func engineDecimal(_ text: String) -> String {
        let unsigned = "regexp_replace(\(text), '^-', '')"
        let fraction = "split_part(\(unsigned), '.', 2)"
        return "CASE WHEN \(text) IS NULL THEN NULL ELSE (CASE WHEN startswith(\(text), '-') THEN -1D ELSE 1D END)"
            + " * (CAST(split_part(\(unsigned), '.', 1) AS DOUBLE)"
            + " + CASE WHEN \(fraction) = '' THEN 0D ELSE CAST(\(fraction) AS DOUBLE) / power(10, length(\(fraction))) END) END"
    }

    /// True when the text `t` matches the regular expression `pattern` somewhere (anchor it for a whole match).
    func matches(_ t: String, _ pattern: String) -> String {
        switch self {
        case .duckdb: return "regexp_matches(\(t), \(string(pattern)))"
        case .spark: return "(\(t) RLIKE \(string(pattern)))"
        }
    }

    /// The length of the text `t` in UTF-8 bytes, as the engine measures fields.
    func byteLength(_ t: String) -> String {
        switch self {
        case .duckdb: return "strlen(\(t))"
        case .spark: return "octet_length(\(t))"
        }
    }

    /// The columns the Spark job adds to every source's view: the record's file and its position in the file.
    static let recordOrderColumns = ["__file", "__row"]

    /// `sum(x)` (or `avg(x)`) over the records where `condition` holds, adding the doubles in the order the
    /// engine adds them — file by file, line by line — because floating-point addition depends on the order
    /// (101046.19000000002 in file order, 101046.19 in another). NULL over no records, as `sum`. Spark only:
    /// it folds the records' values sorted by (`__file`, `__row`).
    func orderedSum(_ x: String, when condition: String, average: Bool) -> String {
        let records = "array_sort(collect_list(CASE WHEN \(condition) THEN named_struct('f', \"__file\", 'r', \"__row\", 'v', CAST(\(x) AS DOUBLE)) END))"
        let sum = "aggregate(\(records), CAST(NULL AS DOUBLE), (acc, e) -> coalesce(acc, 0D) + e.v)"
        return average ? "(\(sum) / nullif(size(\(records)), 0))" : sum
    }

    /// What the query's header says about running it.
    var howToRun: String {
        switch self {
        case .duckdb:
            return """
                -- Run it:  duckdb -csv -nullvalue '' -c ".read tags.sql" > tags.csv
                --     or:  COPY (<this query without its final ';'>) TO 'tags.csv' (HEADER)
                """
        case .spark:
            return """
                -- Spark SQL 4.x with spark.sql.ansi.enabled=true and spark.sql.ansi.doubleQuotedIdentifiers=true.
                -- Each source is read from a temporary view of its name (registration, tax_filings, …) whose
                -- columns have the types of `digitag spark-job`'s manifest; spark/digitag_tags.py sets all this up.
                """
        }
    }
}
