import DigiTagBase
import Foundation
import Risk

/// A scorecard fitted to inspection outcomes: candidates ranked by information value, screened for
/// correlation, combined by an L2-regularised logistic regression over their WoE, scaled to points; and its
/// comparison with the current model on the held-out period.
///
/// Only random (双随机) inspections train and test it: targeted ones were chosen because a problem was
/// suspected, which would teach the fit the targeting rule instead of the risk.
public struct ScorecardFit: Sendable, Codable {
    public struct Period: Sendable, Codable {
        public var runs: [String]
        public var inspections: Int
        public var problems: Int
    }

    /// How a model does on the held-out period.
    public struct Evaluation: Sendable, Codable {
        public var auc: BootstrapInterval
        public var ks: Double
        /// Problem rate of held-out random inspections per class.
        public var byClass: [RateRow]
        /// Share of the held-out run's enterprises per class.
        public var classShares: [Double]
    }

    public var training: Period
    public var holdout: Period
    /// Every candidate, strongest information value first.
    public var candidates: [CandidateTag]
    public var intercept: Double
    public var classes: [String]
    /// The proposed min_score of each class (the lowest is 0): set so that the score alone puts the shares of
    /// the last training run's enterprises in each class nearest those the current scorecard's score gives
    /// (`ClassCutoffs.closest`).
    public var cutoffs: [Double]
    public var current: Evaluation
    public var proposed: Evaluation
    /// Held-out calibration of the fitted probability: deciles of the predicted probability (mean in
    /// `meanScore`) against the problem rate found.
    public var calibration: [RateRow]
    /// Hard rules the comparison could not apply (their condition is not a single boolean tag).
    public var hardRulesNotApplied: [String]
    public var options: Options
    /// nil when both the number of terms and the penalty were given, or the training has one run only.
    public var selection: Selection?

    public struct Options: Sendable, Codable {
        public var minInformationValue: Double
        public var maxCorrelation: Double
        /// The number of terms and the penalty used: given, or chosen by `selection`.
        public var maxTerms: Int
        public var lambda: Double
        public var pointsToDoubleOdds: Double
    }

    /// How the number of terms and the penalty were chosen when not given: every pair of the grids fitted on
    /// the training runs but the last, its AUC measured on the last training run (an inner time split: the
    /// held-out period stays untouched); the best AUC wins, ties to fewer terms and the larger penalty.
    /// The bins come from all training runs, so the inner AUCs are a little optimistic, alike for every pair.
    public struct Selection: Sendable, Codable {
        public struct Trial: Sendable, Codable {
            public var terms: Int
            public var lambda: Double
            public var auc: Double
        }
        public var fittedOn: [String]
        public var validatedOn: String
        public var trials: [Trial]
    }

    public var selected: [CandidateTag] { candidates.filter(\.selected) }

    public static func fit(runs: [RunScores], units: [BackTestUnit], columns: CandidateColumns, options: FitOptions) throws -> ScorecardFit {
        guard runs.count > options.holdoutRuns, options.holdoutRuns >= 1 else {
            throw FitError("the fit needs at least \(options.holdoutRuns + 1) runs: \(options.holdoutRuns) held out and one or more to fit on")
        }
        let firstHeldOut = runs.count - options.holdoutRuns
        let random = units.filter(\.random)
        let train = random.filter { $0.run < firstHeldOut }
        let test = random.filter { $0.run >= firstHeldOut }
        let trainY = train.map(\.problem)
        guard trainY.contains(true), trainY.contains(false) else {
            throw FitError("the training runs' random inspections need both outcomes (found \(train.count) inspections, \(trainY.filter { $0 }.count) problems)")
        }

        // 1. Bins and information value per candidate, on the training inspections.
        var candidates: [CandidateTag] = []
        for (k, tag) in columns.tags.enumerated() {
            let kind = columns.kinds[k]
            let binning: WoEBinning
            var reference = 0
            if kind == .category {
                binning = WoEBinning.categorical(values: train.map { columns.categories[$0.run][k][$0.row] }, outcomes: trainY)
                reference = binning.bins.lastIndex(where: \.missing) ?? (binning.bins.indices.min { binning.bins[$0].woe < binning.bins[$1].woe } ?? 0)
            } else {
                binning = WoEBinning.numeric(
                    values: train.map { columns.numbers[$0.run][k][$0.row] }, outcomes: trainY, minShare: kind == .bool ? 0.02 : 0.05)
                // Missing (the event never happened) scores 0 where there is such a bin: a risk.yaml range cannot give
                // points to a missing value; a boolean's false bin scores 0 (its points apply when true); otherwise the
                // lowest-risk bin, so that points are not negative and the score keeps its floor at 0.
                let lowest = binning.bins.indices.min { binning.bins[$0].woe < binning.bins[$1].woe } ?? 0
                reference = binning.bins.lastIndex(where: \.missing) ?? (kind == .bool ? (binning.binIndex(0) ?? lowest) : lowest)
            }
            let status = binning.bins.count < 2 ? "one bin" : binning.informationValue < options.minInformationValue ? "low IV" : "candidate"
            candidates.append(
                CandidateTag(tag: tag, kind: kind, binning: binning, referenceBin: reference, status: status, coefficient: nil, points: []))
        }
        candidates.sort { ($0.informationValue, $1.tag) > ($1.informationValue, $0.tag) }
        let order = candidates.map { c in columns.tags.firstIndex(of: c.tag)! }

        func encode(_ c: CandidateTag, _ k: Int, run: Int, row: Int) -> Double {
            c.kind == .category ? c.woe(category: columns.categories[run][k][row]) : c.woe(number: columns.numbers[run][k][row])
        }

        // 2. Correlation screening, strongest first, up to the most terms that may be used.
        let termLimit = options.maxTerms ?? FitOptions.termGrid.max()!
        var chosen: [Int] = []
        var encoded: [Int: [Double]] = [:]
        for i in candidates.indices where candidates[i].status == "candidate" {
            let k = order[i]
            let x = train.map { encode(candidates[i], k, run: $0.run, row: $0.row) }
            if chosen.count >= termLimit {
                candidates[i].status = "max terms"
                continue
            }
            if let (j, r) = chosen.lazy.map({ j in (j, Correlation.pearson(x, encoded[j]!)) }).first(where: { abs($0.1) > options.maxCorrelation }) {
                candidates[i].status = "correlated with \(candidates[j].tag) (r = \(String(format: "%.2f", r)))"
                continue
            }
            chosen.append(i)
            encoded[i] = x
        }

        // 3. Logistic regression over the WoE columns; a term whose coefficient comes out ≤ 0 (its WoE points the
        //    other way once the others are in) is dropped and the rest refitted.
        func regress(_ terms: [Int], units: [Int], lambda: Double) -> (terms: [Int], regression: LogisticRegression, dropped: [(Int, Double)]) {
            var terms = terms
            var dropped: [(Int, Double)] = []
            let y = units.map { trainY[$0] }
            while true {
                let rows = units.map { u in terms.map { encoded[$0]![u] } }
                let regression = LogisticRegression.fit(rows: rows, outcomes: y, lambda: lambda)
                guard let worst = regression.coefficients.indices.min(by: { regression.coefficients[$0] < regression.coefficients[$1] }),
                    regression.coefficients[worst] <= 0
                else { return (terms, regression, dropped) }
                dropped.append((terms[worst], regression.coefficients[worst]))
                terms.remove(at: worst)
            }
        }
        //    The number of terms and the penalty: given, or chosen on an inner time split (Selection).
        var termCount = options.maxTerms ?? FitOptions.fallbackTerms
        var lambda = options.lambda ?? FitOptions.fallbackLambda
        var selection: Selection?
        let lastTraining = firstHeldOut - 1
        let inner = train.indices.filter { train[$0].run < lastTraining }
        let validation = train.indices.filter { train[$0].run == lastTraining }
        let innerY = inner.map { trainY[$0] }
        if options.maxTerms == nil || options.lambda == nil, innerY.contains(true), innerY.contains(false), !validation.isEmpty {
            var trials: [Selection.Trial] = []
            var best: Selection.Trial?
            // Fewer terms first, the larger penalty first: a later pair wins only with a higher AUC. More terms
            // than the screening kept are the same fit as all of them.
            var termGrid = options.maxTerms.map { [$0] } ?? FitOptions.termGrid.filter { $0 < chosen.count }
            if options.maxTerms == nil, termGrid.count < FitOptions.termGrid.count { termGrid.append(chosen.count) }
            for terms in termGrid {
                for l in options.lambda.map({ [$0] }) ?? FitOptions.lambdaGrid.reversed() {
                    let fitted = regress(Array(chosen.prefix(terms)), units: inner, lambda: l)
                    let scores = validation.map { u in fitted.regression.linear(fitted.terms.map { encoded[$0]![u] }) }
                    let trial = Selection.Trial(terms: terms, lambda: l, auc: RankAUC.auc(scores: scores, outcomes: validation.map { trainY[$0] }))
                    trials.append(trial)
                    if best == nil || trial.auc > best!.auc + 1e-12 { best = trial }
                }
            }
            if let best {
                termCount = best.terms
                lambda = best.lambda
            }
            selection = Selection(
                fittedOn: runs[..<lastTraining].map { $0.asOf.description }, validatedOn: runs[lastTraining].asOf.description, trials: trials)
        }
        for i in chosen.dropFirst(termCount) { candidates[i].status = "max terms" }
        let final = regress(Array(chosen.prefix(termCount)), units: Array(train.indices), lambda: lambda)
        for (i, beta) in final.dropped {
            candidates[i].status = "coefficient ≤ 0"
            candidates[i].coefficient = beta
        }
        chosen = final.terms
        let regression = final.regression

        // 4. Points: PDO/ln 2 points per unit of log-odds, relative to each tag's reference bin, whole numbers.
        let factor = options.pointsToDoubleOdds / log(2)
        for (t, i) in chosen.enumerated() {
            let beta = regression.coefficients[t]
            candidates[i].status = "selected"
            candidates[i].coefficient = beta
            let ref = candidates[i].binning.bins[candidates[i].referenceBin].woe
            candidates[i].points = candidates[i].binning.bins.map { ((factor * beta * ($0.woe - ref)).rounded()) + 0 }
        }
        let terms = chosen.map { (candidates[$0], order[$0]) }
        func score(run: Int, row: Int) -> Double {
            var s = 0.0
            for (c, k) in terms {
                let bin: Int?
                if c.kind == .category {
                    bin = c.binning.binIndex(category: columns.categories[run][k][row])
                } else {
                    bin = c.binning.binIndex(columns.numbers[run][k][row])
                }
                s += c.points[bin ?? c.referenceBin]
            }
            return s
        }

        // 5. Cut-offs keeping the current score-only class shares on the last training run, as closely as whole
        //    numbers on the new score can (ClassCutoffs).
        let model = runs[firstHeldOut - 1].definition.risk
        let base = runs[firstHeldOut - 1]
        let baseScores = base.scores.indices.map { score(run: firstHeldOut - 1, row: $0) }
        let atLeast = (1..<model.classes.count).map { k in
            Double(base.scores.filter { $0 >= model.classes[k].minScore }.count) / Double(max(1, base.scores.count))
        }
        let cutoffs = ClassCutoffs.closest(scores: baseScores, atLeastShares: atLeast)

        // 6. Held-out comparison.
        let last = runs.count - 1
        var notApplied: [String] = []
        let rules = model.hardRules.compactMap { rule -> (Int, HardRule)? in
            guard let k = columns.tags.firstIndex(of: rule.conditionText), columns.kinds[k] == .bool else {
                notApplied.append(rule.id)
                return nil
            }
            return (k, rule)
        }
        func proposedClass(run: Int, row: Int) -> Int {
            let s = score(run: run, row: row)
            var c = 0
            for (i, cut) in cutoffs.enumerated() where s >= cut { c = i }
            for (k, rule) in rules where columns.numbers[run][k][row] == 1 {
                if let cap = rule.atMost { c = min(c, cap) }
            }
            for (k, rule) in rules where columns.numbers[run][k][row] == 1 {
                if let floor = rule.atLeast { c = max(c, floor) }
            }
            return c
        }
        let codes = model.classes.map(\.code)
        let testY = test.map(\.problem)
        let currentScores = test.map { runs[$0.run].scores[$0.row] }
        let proposedScores = test.map { score(run: $0.run, row: $0.row) }
        var currentShares = [Double](repeating: 0, count: codes.count)
        var proposedShares = [Double](repeating: 0, count: codes.count)
        for row in runs[last].classes.indices {
            currentShares[runs[last].classes[row]] += 1
            proposedShares[proposedClass(run: last, row: row)] += 1
        }
        let enterprises = Double(max(1, runs[last].classes.count))
        let current = Evaluation(
            auc: BootstrapInterval.of(scores: currentScores, outcomes: testY, seed: options.seed, statistic: RankAUC.auc(scores:outcomes:)),
            ks: KolmogorovSmirnov.statistic(scores: currentScores, outcomes: testY),
            byClass: RateRow.rows(
                keys: test.map { codes[runs[$0.run].classes[$0.row]] }, outcomes: testY, scores: currentScores, order: codes),
            classShares: currentShares.map { $0 / enterprises })
        let proposed = Evaluation(
            auc: BootstrapInterval.of(scores: proposedScores, outcomes: testY, seed: options.seed, statistic: RankAUC.auc(scores:outcomes:)),
            ks: KolmogorovSmirnov.statistic(scores: proposedScores, outcomes: testY),
            byClass: RateRow.rows(
                keys: test.map { codes[proposedClass(run: $0.run, row: $0.row)] }, outcomes: testY, scores: proposedScores, order: codes),
            classShares: proposedShares.map { $0 / enterprises })
        let predicted = test.map { u in regression.probability(chosen.indices.map { t in encode(candidates[chosen[t]], order[chosen[t]], run: u.run, row: u.row) }) }
        let deciles = Deciles.assign(scores: predicted, keys: test.map { runs[$0.run].usccs[$0.row] + "/" + $0.day.description })
        let decileKeys = deciles.map(String.init)
        let calibration = RateRow.rows(
            keys: decileKeys, outcomes: testY, scores: predicted, order: (1...10).map(String.init).filter { decileKeys.contains($0) })

        return ScorecardFit(
            training: Period(runs: runs[..<firstHeldOut].map { $0.asOf.description }, inspections: train.count, problems: trainY.filter { $0 }.count),
            holdout: Period(runs: runs[firstHeldOut...].map { $0.asOf.description }, inspections: test.count, problems: testY.filter { $0 }.count),
            candidates: candidates, intercept: regression.intercept, classes: codes, cutoffs: cutoffs, current: current, proposed: proposed,
            calibration: calibration, hardRulesNotApplied: notApplied,
            options: Options(
                minInformationValue: options.minInformationValue, maxCorrelation: options.maxCorrelation, maxTerms: termCount,
                lambda: lambda, pointsToDoubleOdds: options.pointsToDoubleOdds),
            selection: selection)
    }
}

/// The fit cannot be made from these runs and inspections: too few runs, or no problem (or no clean
/// inspection) to learn from. The inputs handed in cannot be used as they are.
public struct FitError: DigitagError {
    public var exitStatus: ExitStatus { .badInput }
    public var description: String
    public init(_ description: String) { self.description = description }
}
