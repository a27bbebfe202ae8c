/// Shell-company clusters: many risky enterprises registered at one address (DOMAIN.md: "shell-like
/// clusters, 10+ enterprises at one registered address" are a targeted-draw group).
///
/// Every block of 256 consecutive enterprises has such an address with probability 12%; its high-risk
/// enterprises (and a few medium-risk ones) register there, about 25 per cluster. Like the legal
/// representative, the cluster depends only on `(seed, block)`.
struct AddressCluster: Sendable {
    let county: Int
    let address: String

    static let blockSize = 256
    static let probability = 0.12

    init?(enterprise index: Int, context: GenerationContext) {
        var random = Random(
            seed: context.seed, key: UInt64(index / AddressCluster.blockSize), stream: .addressCluster)
        guard random.chance(AddressCluster.probability) else { return nil }
        county = context.regions.pick(&random)
        let c = context.regions.counties[county]
        address =
            "山东省" + c.cityName + c.name + random.element(ChineseText.roadWords) + "路"
            + "\(random.int(1...300))号" + random.element(ChineseText.buildingWords) + "\(random.int(2...20))层"
    }

    /// Whether an enterprise of this risk joins the cluster.
    static func joinProbability(_ level: RiskProfile.Level) -> Double {
        switch level {
        case .low: return 0
        case .medium: return 0.15
        case .high, .veryHigh: return 0.7
        }
    }
}
