import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import ProfileStore

/// `RunDiff` read from the two runs' profile stores instead of their CSV files.
///
/// Every night's run compares itself with the previous one, so the comparison has to stay cheap at
/// millions of enterprises: the CSV path parses both `classes.csv` and streams both `tags.csv` twice
/// (17 s at 100,000 enterprises, gigabytes at 3 million); here it reads three small columns and the four
/// watched flags of each store, and takes coverage from the store's metadata (counted when it was written).
/// The result is the same, value for value (`RunDiffStoreTests` checks it against the CSV path).
extension RunDiff {
    static func compareStores(
        _ a: String, _ b: String, catalog: TagCatalog, classOrder: [String], coverageThreshold: Double
    ) throws -> RunDiff {
        let storeA = try StoreReader(run: a)
        let storeB = try StoreReader(run: b)
        let watched = watchedListings.filter { catalog.tag($0) != nil }
        let rank = Dictionary(uniqueKeysWithValues: classOrder.enumerated().map { ($1, $0) })
        var before = try DiffCursor(storeA, flags: watched)
        var after = try DiffCursor(storeB, flags: watched)
        var changes: [ClassChange] = []
        var listed: [[Listing]] = Array(repeating: [], count: watched.count)
        var added = 0
        var gone = 0
        // Both stores are in key order, and a packed USCC's order is its text's order: one merge pass,
        // memory for one row group of each, results already in the USCC order the CSV path sorts into.
        var hasBefore = try before.next()
        while try after.next() {
            while hasBefore && before.key < after.key {
                gone += 1
                hasBefore = try before.next()
            }
            let matched = hasBefore && before.key == after.key
            if matched {
                let (from, to) = (before.classCode, after.classCode)
                if from != to {
                    changes.append(
                        ClassChange(
                            uscc: USCC.text(after.key), name: try after.name(), from: from, to: to,
                            up: (rank[to] ?? 0) > (rank[from] ?? 0)))
                }
            } else {
                added += 1
            }
            for t in watched.indices where after.flag(t) && !(matched && before.flag(t)) {
                listed[t].append(Listing(tag: watched[t], uscc: USCC.text(after.key), name: try after.name()))
            }
            if matched { hasBefore = try before.next() }
        }
        while hasBefore {
            gone += 1
            hasBefore = try before.next()
        }
        let coverageBefore = Dictionary(storeCoverage(storeA), uniquingKeysWith: { x, _ in x })
        let moves = storeCoverage(storeB).compactMap { (tag, c) -> CoverageMove? in
            guard let was = coverageBefore[tag], abs(c - was) > coverageThreshold else { return nil }
            return CoverageMove(tag: tag, before: was, after: c)
        }
        return RunDiff(
            from: a, to: b, classChanges: changes, newListings: listed.flatMap { $0 }, coverageMoves: moves, enterprisesAdded: added,
            enterprisesGone: gone)
    }

    /// Each tag's coverage as `TagStatistics` counts it (booleans: share true; others: share with a value).
    static func storeCoverage(_ reader: StoreReader) -> [(String, Double)] {
        let n = Double(max(1, reader.meta.enterprises))
        return reader.meta.tags.compactMap { tag in
            reader.columnIndex[tag.id].map { (tag.id, Double(reader.meta.columns[$0].filled) / n) }
        }
    }
}

/// One run's store read row by row in key order, a row group at a time, for the columns a diff needs.
private struct DiffCursor {
    let reader: StoreReader
    let classColumn: Int
    let classCodes: [String]
    let nameColumn: Int
    /// Per watched tag, its column (nil when this run's store has no such tag: never true).
    let flagColumns: [Int?]
    var group = -1
    var row = -1
    var keys: [UInt128] = []
    var classes: [Int32] = []
    var flags: [[Double]] = []
    /// The group's names, decoded only when one of them is needed.
    var names: [String]?

    init(_ reader: StoreReader, flags tags: [String]) throws {
        self.reader = reader
        classColumn = try reader.column("class")
        classCodes = reader.meta.columns[classColumn].dictionary ?? []
        nameColumn = try reader.column("name")
        flagColumns = tags.map { reader.columnIndex[$0] }
    }

    /// Moves to the next enterprise; false after the last.
    mutating func next() throws -> Bool {
        row += 1
        while row >= keys.count {
            group += 1
            guard group < reader.groupCount else { return false }
            keys = try reader.keys(group: group)
            classes = try reader.dictionaryIndices(column: classColumn, group: group)
            flags = try flagColumns.map { c in try c.map { try reader.numbers(column: $0, group: group) } ?? [] }
            names = nil
            row = 0
        }
        return true
    }

    var key: UInt128 { keys[row] }
    var classCode: String { classes[row] < 0 ? "" : classCodes[Int(classes[row])] }
    func flag(_ t: Int) -> Bool { !flags[t].isEmpty && flags[t][row] != 0 }

    mutating func name() throws -> String {
        if names == nil { names = try reader.texts(column: nameColumn, group: group) }
        return names![row]
    }
}
