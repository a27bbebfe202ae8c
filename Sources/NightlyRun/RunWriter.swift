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
/// `tags.csv` is for tools (one column per tag, values as `ValueFormat` says), and written only when the run's
/// `TagsCSVPolicy` says so: the profile store holds the same values.
final class RunWriter {
    let definition: PipelineDefinition
    let classes: CSVWriter
    let tags: TagsCSVWriter?
    let nameField: Int
    let regionField: Int
    let cityName: [String: (code: String, name: String)]
    var classCounts: [Int]

    init(directory: String, definition: PipelineDefinition, tagsCSV: Bool) throws {
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
        tags = tagsCSV ? try TagsCSVWriter(path: FileSystem.join(directory, "tags.csv"), catalog: definition.catalog) : nil
    }

    func write(shard: ShardData, names: [String], tagValues: [Column], risk: [RiskResult], reasons: [ReasonText.Texts]) throws {
        let model = definition.risk
        let vocabulary = definition.catalog.vocabulary
        // Unpack the columns once per shard, not once per value.
        let numbers: [[Double]] = tagValues.map { if case .numbers(let v) = $0 { v } else { [] } }
        let tagCodes: [[Int32]] = tagValues.map { if case .codes(let v) = $0 { v } else { [] } }
        for e in 0..<shard.count {
            let uscc = USCC.text(shard.keys[e])
            let r = risk[e]
            classCounts[r.classIndex] += 1
            let region = vocabulary.text(shard.entityCodes[regionField][e]) ?? ""
            let city = cityName[region]
            let reason = reasons[e]
            try classes.row([
                uscc, names[e], region, city?.code ?? "", city?.name ?? "", model.classes[r.classIndex].code,
                ValueFormat.number(r.score), reason.codes, reason.zh, reason.en,
            ])
            try tags?.row(uscc: uscc, numbers: numbers, codes: tagCodes, e)
        }
    }

    func close() throws {
        try classes.close()
        try tags?.close()
    }
}
