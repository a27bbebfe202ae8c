import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import ProfileStore
import RunModel

/// One enterprise as a published run's profile store sees it: registration facts, risk class with its
/// reasons, and every tag's value.
public struct EnterpriseProfile: Sendable {
    public struct TagValue: Sendable {
        public var tag: StoreTag
        public var value: String
    }

    /// A registration field with its label and value.
    public struct Fact: Sendable {
        public var key: String
        public var label: String
        public var value: String
    }

    public var run: String
    public var asOf: String
    public var uscc: String
    public var name: String
    public var facts: [Fact]
    public var riskClass: String
    public var classNameZh: String
    public var score: String
    public var reasons: String
    public var reasonsZh: String
    public var tags: [TagValue]

    /// Registration fields shown in a profile, with their labels, in display order.
    static let factFields: [(column: String, label: String)] = [
        ("reg.region", "地区 region"), ("reg.entity_type", "类型 entity type"),
        ("reg.registered_capital", "注册资本 capital (万元)"), ("reg.established_on", "成立 established"),
        ("reg.status", "状态 status"), ("reg.status_on", "状态日期 status since"), ("reg.industry", "行业 industry"),
    ]

    /// The profile of `uscc` in the run's store, or nil when the store has no such enterprise.
    public static func lookup(uscc: UInt128, run: String) throws -> EnterpriseProfile? {
        try lookup(uscc: uscc, reader: try StoreReader(run: run), run: run)
    }

    /// - Complexity: with row blocks (`store/rows.dts`), one row block read and decompressed; without, one key
    ///   block, then one block per column.
    public static func lookup(uscc: UInt128, reader: StoreReader, run: String) throws -> EnterpriseProfile? {
        guard let row = try reader.row(of: uscc) else { return nil }
        return try profile(row, reader: reader, run: run)
    }

    /// The profile of an enterprise found in `reader` (`StoreReader.row(of:)`).
    public static func profile(_ row: StoreRow, reader: StoreReader, run: String) throws -> EnterpriseProfile {
        let meta = reader.meta
        let regions = Dictionary(meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var facts: [Fact] = []
        for (column, label) in factFields where reader.columnIndex[column] != nil {
            var v = try row.formatted(column)
            if column == "reg.region", let r = regions[v] { v = "\(v) \(r.name)，\(r.cityCode) \(r.cityName)" }
            facts.append(Fact(key: String(column.dropFirst(4)), label: label, value: v))
        }
        let cls = try row.formatted("class")
        let classIndex = meta.classes.firstIndex(of: cls)
        var tags: [TagValue] = []
        tags.reserveCapacity(meta.tags.count)
        for tag in meta.tags { tags.append(TagValue(tag: tag, value: try row.formatted(tag.id))) }
        return EnterpriseProfile(
            run: run, asOf: meta.asOf, uscc: try row.formatted("uscc"), name: try row.formatted("name"), facts: facts, riskClass: cls,
            classNameZh: classIndex.map { meta.classNamesZh[$0] } ?? "", score: try row.formatted("score"), reasons: try row.formatted("reasons"),
            reasonsZh: try row.formatted("reasons_zh"), tags: tags)
    }
}

/// What changed for one enterprise since the previous run under the same runs root.
public struct ProfileChanges: Sendable {
    public struct Change: Sendable {
        public var field: String
        public var label: String
        public var before: String
        public var after: String
    }

    /// The previous run directory, if there is one.
    public var previousRun: String?
    public var previousAsOf: String?
    /// Why there is nothing to compare, when there is not.
    public var note: String?
    public var changes: [Change]

    /// The latest other run directory under the same runs root whose as-of date is earlier than this run's.
    public static func previousRun(of run: String, asOf: String) -> (path: String, asOf: String)? {
        let resolved = URL(fileURLWithPath: run).resolvingSymlinksInPath()
        let root = resolved.deletingLastPathComponent().path
        var best: (String, String)?
        for name in FileSystem.list(root) where !name.hasPrefix(".") {
            let dir = FileSystem.join(root, name)
            guard URL(fileURLWithPath: dir).resolvingSymlinksInPath().path != resolved.path, FileSystem.isDirectory(dir),
                let manifest = try? Manifest.read(FileSystem.join(dir, "manifest.json")), manifest.asOf < asOf
            else { continue }
            if best == nil || manifest.asOf > best!.1 || (manifest.asOf == best!.1 && dir < best!.0) { best = (dir, manifest.asOf) }
        }
        return best
    }

    public static func compare(_ current: EnterpriseProfile) throws -> ProfileChanges {
        guard let (previous, previousAsOf) = previousRun(of: current.run, asOf: current.asOf) else {
            return ProfileChanges(
                previousRun: nil, previousAsOf: nil,
                note: "no previous run: no other run under \(FileSystem.directoryOf(URL(fileURLWithPath: current.run).resolvingSymlinksInPath().path)) has an as-of date before \(current.asOf)",
                changes: [])
        }
        guard let key = try? USCC.parse(current.uscc).get(),
            let before = try EnterpriseProfile.lookup(uscc: key, run: previous)
        else {
            return none(previousRun: previous, previousAsOf: previousAsOf, note: newSince(current.uscc, previousAsOf))
        }
        return compare(current, with: before, previousRun: previous, previousAsOf: previousAsOf)
    }

    /// The note for an enterprise the previous run does not have.
    public static func newSince(_ uscc: String, _ previousAsOf: String) -> String {
        "\(uscc) is not in the previous run (as of \(previousAsOf)): new since then"
    }

    /// Nothing to compare, and why.
    public static func none(previousRun: String?, previousAsOf: String?, note: String) -> ProfileChanges {
        ProfileChanges(previousRun: previousRun, previousAsOf: previousAsOf, note: note, changes: [])
    }

    /// The fields, class, score, reasons and tags whose value differs between two profiles of one enterprise
    /// (the server compares the profiles as the user may see them).
    public static func compare(_ current: EnterpriseProfile, with before: EnterpriseProfile, previousRun: String, previousAsOf: String) -> ProfileChanges {
        var changes: [Change] = []
        func diff(_ field: String, _ label: String, _ a: String, _ b: String) {
            if a != b { changes.append(Change(field: field, label: label, before: a, after: b)) }
        }
        diff("name", "名称 name", before.name, current.name)
        let oldFacts = Dictionary(before.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for f in current.facts { diff("reg." + f.key, f.label, oldFacts[f.key] ?? "", f.value) }
        diff("class", "风险类别 class", before.riskClass, current.riskClass)
        diff("score", "分值 score", before.score, current.score)
        diff("reasons", "原因 reasons", before.reasons, current.reasons)
        let oldTags = Dictionary(before.tags.map { ($0.tag.id, $0.value) }, uniquingKeysWith: { a, _ in a })
        for t in current.tags {
            if let old = oldTags[t.tag.id] {
                diff(t.tag.id, t.tag.nameZh, old, t.value)
            } else {
                changes.append(Change(field: t.tag.id, label: t.tag.nameZh + "（新标签 new tag）", before: "", after: t.value))
            }
        }
        return ProfileChanges(previousRun: previousRun, previousAsOf: previousAsOf, note: nil, changes: changes)
    }
}
