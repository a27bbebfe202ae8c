import DigiTagBase

/// The back-test of the risk model: how often inspections that followed each run found a problem, by class,
/// score decile, city and industry; how well the score ranks (AUC with a bootstrap interval, KS); how stable the
/// scores are from run to run (PSI).
///
/// Random (双随机) inspections and targeted ones are kept apart: only the random ones estimate a class's problem
/// rate without bias; targeted checks (after complaints or data monitoring) are chosen because a problem was
/// suspected, so their rates run high and say little about the class.
public struct BackTestReport: Sendable, Codable {
    public struct Channel: Sendable, Codable {
        public var inspections: Int
        public var problems: Int
        public var rate: WilsonInterval
        public var byClass: [RateRow]
        public var byDecile: [RateRow]
        public var byCity: [RateRow]
        public var byIndustry: [RateRow]
        /// The problem rate of the highest class over the lowest's, when both have inspections.
        public var highestOverLowest: Double?
        public var auc: BootstrapInterval
        public var ks: Double
        /// ROC curve points (false-positive rate, true-positive rate), highest score first.
        public var roc: [[Double]]
    }

    public struct Run: Sendable, Codable {
        public var asOf: String
        public var windowEnd: String
        public var enterprises: Int
        /// Share of the run's enterprises in each class, in class order.
        public var classShares: [Double]
        public var random: Channel
        public var targeted: Channel
        /// Population stability from the previous run: of the score (over the previous run's score deciles) and
        /// of the class distribution.
        public var scorePSI: Double?
        public var classPSI: Double?

        // The JSON keys are snake_case (`score_psi`); spelled so that they decode back (ModelJSON.decode).
        enum CodingKeys: String, CodingKey {
            case asOf, windowEnd, enterprises, classShares, random, targeted
            case scorePSI = "scorePsi"
            case classPSI = "classPsi"
        }
    }

    public var windowMonths: Int
    public var classes: [String]
    public var runs: [Run]
    /// All runs together (an enterprise inspected in the windows of two runs counts for each).
    public var pooledRandom: Channel
    public var pooledTargeted: Channel
    /// Province-wide estimates from draws with known inclusion probabilities (the samples' ledgers), if any.
    public var weighted: [WeightedEstimate]

    /// A Horvitz–Thompson estimate of a class's problem rate from the draws' ledgers.
    public struct WeightedEstimate: Sendable, Codable {
        public var key: String
        public var estimate: HorvitzThompson
    }

    public static func make(
        runs: [RunScores], units: [BackTestUnit], windowMonths: Int, weighted: [WeightedEstimate] = [], seed: UInt64 = 20_241_231
    ) -> BackTestReport {
        let classes = runs.last?.classCodes ?? []
        var sections: [Run] = []
        for (r, run) in runs.enumerated() {
            let mine = units.filter { $0.run == r }
            var shares = [Double](repeating: 0, count: run.classCodes.count)
            for c in run.classes { shares[c] += 1 }
            var scorePSI: Double?
            var classPSI: Double?
            if r > 0 {
                let previous = runs[r - 1]
                let edges = PopulationStability.decileEdges(previous.scores)
                scorePSI = PopulationStability.index(
                    expected: PopulationStability.counts(previous.scores, edges: edges),
                    actual: PopulationStability.counts(run.scores, edges: edges))
                var before = [Double](repeating: 0, count: previous.classCodes.count)
                for c in previous.classes { before[c] += 1 }
                if before.count == shares.count { classPSI = PopulationStability.index(expected: before, actual: shares) }
            }
            let total = Double(max(1, run.classes.count))
            sections.append(
                Run(
                    asOf: run.asOf.description, windowEnd: BackTestJoin.windowEnd(run.asOf, months: windowMonths).description,
                    enterprises: run.classes.count, classShares: shares.map { $0 / total },
                    random: channel(runs, mine.filter(\.random), seed: seed),
                    targeted: channel(runs, mine.filter { !$0.random }, seed: seed),
                    scorePSI: scorePSI, classPSI: classPSI))
        }
        return BackTestReport(
            windowMonths: windowMonths, classes: classes, runs: sections,
            pooledRandom: channel(runs, units.filter(\.random), seed: seed),
            pooledTargeted: channel(runs, units.filter { !$0.random }, seed: seed), weighted: weighted)
    }

    static func channel(_ runs: [RunScores], _ units: [BackTestUnit], seed: UInt64) -> Channel {
        let outcomes = units.map(\.problem)
        let scores = units.map { runs[$0.run].scores[$0.row] }
        let classCodes = runs.last?.classCodes ?? []
        let classKeys = units.map { runs[$0.run].classCodes[runs[$0.run].classes[$0.row]] }
        let byClass = RateRow.rows(keys: classKeys, outcomes: outcomes, scores: scores, order: classCodes)
        let deciles = Deciles.assign(scores: scores, keys: units.map { runs[$0.run].usccs[$0.row] + "/" + $0.day.description })
        let decileKeys = deciles.map { String($0) }
        let byDecile = RateRow.rows(
            keys: decileKeys, outcomes: outcomes, scores: scores, order: (1...10).map(String.init).filter { decileKeys.contains($0) })
        let byCity = RateRow.rows(keys: units.map { runs[$0.run].cities[$0.row] }, outcomes: outcomes, scores: scores)
        let byIndustry = RateRow.rows(keys: units.map { runs[$0.run].industries[$0.row] }, outcomes: outcomes, scores: scores)
        let problems = outcomes.filter { $0 }.count
        var ratio: Double?
        if let lo = byClass.first, let hi = byClass.last, lo.units > 0, hi.units > 0, lo.rate.rate > 0 {
            ratio = hi.rate.rate / lo.rate.rate
        }
        return Channel(
            inspections: units.count, problems: problems,
            rate: WilsonInterval(successes: Double(problems), trials: Double(units.count)),
            byClass: byClass, byDecile: byDecile, byCity: byCity, byIndustry: byIndustry, highestOverLowest: ratio,
            auc: BootstrapInterval.of(scores: scores, outcomes: outcomes, seed: seed, statistic: RankAUC.auc(scores:outcomes:)),
            ks: KolmogorovSmirnov.statistic(scores: scores, outcomes: outcomes),
            roc: RankAUC.rocCurve(scores: scores, outcomes: outcomes).map { [$0.fpr, $0.tpr] })
    }
}
