import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Risk
import RunModel

/// Writes a run's per-enterprise outputs, shard after shard, in USCC order.
///
/// `classes.csv` is for people (UTF-8 with a byte-order mark, so Excel shows Chinese names);
/// `tags.csv` is for tools (one column per tag, values as `ValueFormat` says).
final class RunWriter {
    let definition: PipelineDefinition
    let classes: CSVWriter
    let tags: CSVWriter
    let nameField: Int
    let regionField: Int
    let cityName: [String: (code: String, name: String)]
    var classCounts: [Int]

    init(directory: String, definition: PipelineDefinition) throws {
        self.definition = definition
        let entity = definition.sources.entitySource
        nameField = entity.fieldIndex("name") ?? 0
        regionField = entity.fieldIndex("region") ?? 0
        var cities: [String: (String, String)] = [:]
        let t = definition.sources.regions
        for (code, (city, name)) in zip(t.column("code"), zip(t.column("city_code"), t.column("city_name_zh"))) {
            cities[code] = (city, name)
        }
        cityName = cities
        classCounts = Array(repeating: 0, count: definition.risk.classes.count)
        classes = try CSVWriter(
            path: FileSystem.join(directory, "classes.csv"),
            header: ["uscc", "name", "region", "city", "city_name", "class", "score", "reasons", "reasons_zh", "reasons_en"], bom: true, formulaSafe: true)
        tags = try CSVWriter(path: FileSystem.join(directory, "tags.csv"), header: ["uscc"] + definition.catalog.tags.map(\.id))
    }

    func write(shard: ShardData, names: [String], tagValues: [Column], risk: [RiskResult]) throws {
        let catalog = definition.catalog
        let model = definition.risk
        let vocabulary = catalog.vocabulary
        // Unpack the columns once per shard, not once per value.
        let numbers: [[Double]] = tagValues.map { if case .numbers(let v) = $0 { v } else { [] } }
        let tagCodes: [[Int32]] = tagValues.map { if case .codes(let v) = $0 { v } else { [] } }
        for e in 0..<shard.count {
            let uscc = USCC.text(shard.keys[e])
            let r = risk[e]
            classCounts[r.classIndex] += 1
            let region = vocabulary.text(shard.entityCodes[regionField][e]) ?? ""
            let city = cityName[region]
            let reasons = ReasonText.text(r, model: model, vocabulary: vocabulary)
            try classes.row([
                uscc, names[e], region, city?.code ?? "", city?.name ?? "", model.classes[r.classIndex].code,
                ValueFormat.number(r.score), reasons.codes, reasons.zh, reasons.en,
            ])
            tags.field(uscc)
            writeTagValues(numbers, tagCodes, e)
            try tags.endRow()
        }
    }

    /// How each tag's values are written, decided once per run rather than per value.
    enum Kind { case bool, number, date, category }
    lazy var kinds: [Kind] = definition.catalog.tags.map { t in
        switch t.type {
        case .bool: return .bool
        case .number: return .number
        case .date: return .date
        case .category: return .category
        }
    }
    /// Each vocabulary code's text as CSV field bytes (quoted where the text needs it).
    lazy var categoryBytes: [[UInt8]] = definition.catalog.vocabulary.strings.map { text in
        let utf8 = Array(text.utf8)
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return utf8 }
        return [0x22] + utf8.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
    }

    /// One enterprise's tag values, formatted exactly as `ValueFormat.value` does, straight into the buffer.
    func writeTagValues(_ numbers: [[Double]], _ codes: [[Int32]], _ e: Int) {
        let kinds = self.kinds
        let categoryBytes = self.categoryBytes
        for t in 0..<kinds.count {
            switch kinds[t] {
            case .bool:
                tags.rawField(CollectionOfOne(numbers[t][e] != 0 ? UInt8(0x31) : UInt8(0x30)))
            case .number:
                let v = numbers[t][e]
                if v.isNaN {
                    tags.rawField(EmptyCollection())
                } else {
                    let r = ValueFormat.rounded(v)
                    if let whole = ValueFormat.wholeNumber(r) { tags.integerField(whole) } else { tags.rawField(String(r).utf8) }
                }
            case .date:
                let v = numbers[t][e]
                if v.isNaN { tags.rawField(EmptyCollection()) } else { tags.rawField(Day(Int32(v)).description.utf8) }
            case .category:
                let c = codes[t][e]
                if c < 0 { tags.rawField(EmptyCollection()) } else { tags.rawField(categoryBytes[Int(c)]) }
            }
        }
    }

    func close() throws {
        try classes.close()
        try tags.close()
    }
}
