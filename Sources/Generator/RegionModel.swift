import DataContract
import DigiTagBase
import DigiTagIO

/// One county-level division (区/县/县级市) from `Pipelines/regions.csv`.
struct County: Sendable {
    var code: String
    var name: String
    var cityCode: String
    var cityName: String
    /// Relative number of enterprises registered here (modelling choice, see `RegionModel`).
    var weight: Double

    /// The city's short name as used in company names and case numbers: 济南市 → 济南.
    var cityShortName: String { cityName.hasSuffix("市") ? String(cityName.dropLast()) : cityName }

    /// The county's market-supervision bureau: 济南市历下区市场监督管理局 for a district, 平阴县市场监督管理局
    /// for a county or county-level city (which are addressed without their city).
    var marketAuthority: String { qualifiedName + "市场监督管理局" }

    /// 济南市历下区 for a district (区), the bare name for a county (县) or county-level city.
    var qualifiedName: String { name.hasSuffix("区") ? cityName + name : name }

    /// The basic people's court of the county: 济南市历下区人民法院, 平阴县人民法院.
    var basicCourt: String { qualifiedName + "人民法院" }

    /// The intermediate people's court of the city: 济南市中级人民法院.
    var intermediateCourt: String { cityName + "中级人民法院" }

    var isUrbanDistrict: Bool { name.hasSuffix("区") }
}

/// The counties of the province and how enterprises spread over them.
///
/// Shares follow the cities' economic weight (Jinan, Qingdao, Linyi, Weifang and Yantai are the largest
/// registries); inside a city, urban districts hold more enterprises than rural counties. Cities missing
/// from the weight list (a table for another province) weigh like a mid-sized Shandong city.
struct RegionModel: Sendable {
    let counties: [County]
    private let table: WeightedTable

    static let cityWeights: [String: Double] = [
        "3701": 12, "3702": 14, "3703": 5, "3704": 3.5, "3705": 3, "3706": 9, "3707": 10, "3708": 7,
        "3709": 4.5, "3710": 3, "3711": 3, "3713": 11, "3714": 5, "3715": 5, "3716": 4, "3717": 7,
    ]

    init(_ table: ReferenceTable) throws {
        let columns = try Columns(table, ["code", "name_zh", "city_code", "city_name_zh"])
        var counties: [County] = []
        var citySizes: [String: Int] = [:]
        var problems: [Diagnostic] = []
        for (r, row) in table.rows.enumerated() {
            let location = SourceLocation(file: table.path, line: r < table.lines.count ? table.lines[r] : nil)
            guard row.count == table.header.count else {
                problems.append(Diagnostic(location, "expected \(table.header.count) fields, found \(row.count)"))
                continue
            }
            let code = row[columns["code"]]
            // The code becomes USCC positions 3-8, so it must be six digits.
            guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                problems.append(Diagnostic(location, "region code '\(code)' is not a 6-digit division code"))
                continue
            }
            let city = row[columns["city_code"]]
            citySizes[city, default: 0] += 1
            counties.append(
                County(
                    code: code, name: row[columns["name_zh"]], cityCode: city, cityName: row[columns["city_name_zh"]],
                    weight: 0))
        }
        if counties.isEmpty {
            problems.append(Diagnostic(SourceLocation(file: table.path), "the region table has no county rows"))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        for i in counties.indices {
            let cityWeight = RegionModel.cityWeights[counties[i].cityCode] ?? 5
            let inCity = Double(citySizes[counties[i].cityCode] ?? 1)
            let local = counties[i].isUrbanDistrict ? 1.6 : (counties[i].name.hasSuffix("市") ? 1.2 : 0.8)
            counties[i].weight = cityWeight / inCity * local
        }
        self.counties = counties
        self.table = WeightedTable(counties.map(\.weight))
    }

    func pick(_ random: inout Random) -> Int { table.pick(&random) }
}
