import DataContract
import Foundation

/// Every cell of the engine's `tags.csv` against DuckDB's result of `digitag tags sql`.
///
/// Same header, same USCCs in the same order, and every value equal: text equal for booleans, dates and
/// categories; numbers within 1e-6 relative or 1e-4 absolute (the engine rounds to 4 decimals and sums
/// in another order than DuckDB).
struct TagTableComparison {
    struct Mismatch {
        let tag: String
        let uscc: String
        let engine: String
        let duckdb: String
    }

    /// Why the two tables cannot be compared cell by cell (header or rows differ), if they cannot.
    private(set) var structuralProblems: [String] = []
    /// Mismatching cells per tag id, in column order.
    private(set) var mismatchCounts: [(tag: String, count: Int)] = []
    /// The mismatches, at most `exampleLimit` per tag.
    private(set) var examples: [String: [Mismatch]] = [:]
    private(set) var comparedCells = 0
    let tagCount: Int
    let enterpriseCount: Int
    static let exampleLimit = 20

    init(engine: TagTable, duckdb: TagTable, types: [String: String]) {
        tagCount = Swift.max(engine.header.count - 1, 0)
        enterpriseCount = engine.rows.count
        if engine.header != duckdb.header {
            let missing = Set(engine.header).subtracting(duckdb.header).sorted().prefix(10)
            let extra = Set(duckdb.header).subtracting(engine.header).sorted().prefix(10)
            let firstDifference = zip(engine.header, duckdb.header).enumerated().first { $0.element.0 != $0.element.1 }
            structuralProblems.append(
                "headers differ: engine has \(engine.header.count) columns, DuckDB \(duckdb.header.count); "
                    + "missing from DuckDB \(Array(missing)), extra in DuckDB \(Array(extra))"
                    + (firstDifference.map { "; first difference at column \($0.offset + 1): '\($0.element.0)' vs '\($0.element.1)'" } ?? ""))
            return
        }
        let engineKeys = engine.rows.map { $0.first ?? "" }
        let duckKeys = duckdb.rows.map { $0.first ?? "" }
        if engineKeys != duckKeys {
            let onlyEngine = Set(engineKeys).subtracting(duckKeys).sorted().prefix(5)
            let onlyDuck = Set(duckKeys).subtracting(engineKeys).sorted().prefix(5)
            let firstDifference = zip(engineKeys, duckKeys).enumerated().first { $0.element.0 != $0.element.1 }
            structuralProblems.append(
                "enterprises differ: engine \(engineKeys.count) rows, DuckDB \(duckKeys.count); only in the engine \(Array(onlyEngine)), "
                    + "only in DuckDB \(Array(onlyDuck))"
                    + (firstDifference.map { "; first difference at row \($0.offset + 1): \($0.element.0) vs \($0.element.1)" } ?? ""))
            return
        }
        var counts = [Int](repeating: 0, count: engine.header.count)
        for (a, b) in zip(engine.rows, duckdb.rows) {
            guard a.count == engine.header.count, b.count == engine.header.count else {
                structuralProblems.append("row of \(a.first ?? "?") has \(a.count) fields in the engine, \(b.count) in DuckDB")
                continue
            }
            for column in 1..<engine.header.count {
                comparedCells += 1
                let tag = engine.header[column]
                guard !Self.equal(a[column], b[column], numeric: types[tag] == "numeric") else { continue }
                counts[column] += 1
                if examples[tag, default: []].count < Self.exampleLimit {
                    examples[tag, default: []].append(Mismatch(tag: tag, uscc: a[0], engine: a[column], duckdb: b[column]))
                }
            }
        }
        mismatchCounts = counts.enumerated().filter { $0.offset > 0 && $0.element > 0 }.map { (engine.header[$0.offset], $0.element) }
    }

    static func equal(_ a: String, _ b: String, numeric: Bool) -> Bool {
        if a == b { return true }
        guard numeric, let x = Double(a), let y = Double(b) else { return false }
        let difference = Swift.abs(x - y)
        return difference <= 1e-4 || difference <= 1e-6 * Swift.max(Swift.abs(x), Swift.abs(y))
    }

    /// Mismatching tags, leaving out `excluded`.
    func mismatchingTags(excluding excluded: Set<String> = []) -> [(tag: String, count: Int)] {
        mismatchCounts.filter { !excluded.contains($0.tag) }
    }

    /// What a person needs to fix a disagreement: counts per tag, then up to 20 examples with both values.
    func report(excluding excluded: Set<String> = [], expressions: [String: String] = [:]) -> String {
        var lines = structuralProblems
        let tags = mismatchingTags(excluding: excluded)
        guard !tags.isEmpty else { return lines.joined(separator: "\n") }
        lines.append("\(tags.count) of \(tagCount) tags disagree (\(enterpriseCount) enterprises):")
        for (tag, count) in tags {
            lines.append("  \(count) mismatches  \(tag)" + (expressions[tag].map { "   expr: \($0)" } ?? ""))
        }
        lines.append("examples (tag, USCC, engine value, DuckDB value):")
        var shown = 0
        outer: for (tag, _) in tags {
            for m in examples[tag] ?? [] {
                lines.append("  \(m.tag)  \(m.uscc)  engine='\(m.engine)'  duckdb='\(m.duckdb)'")
                shown += 1
                if shown == Self.exampleLimit { break outer }
            }
        }
        return lines.joined(separator: "\n")
    }
}
