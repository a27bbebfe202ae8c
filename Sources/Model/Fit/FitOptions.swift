/// The settings of `digitag model fit`.
public struct FitOptions: Sendable {
    /// The last this-many runs are held out: the fit sees only earlier runs (a time split, never a random one).
    public var holdoutRuns = 1
    /// Candidates below this information value are not used (under 0.02 a tag says nothing useful).
    public var minInformationValue = 0.02
    /// A candidate whose WoE column correlates more than this with a stronger selected one is left out.
    public var maxCorrelation = 0.7
    /// At most this many tags; nil: chosen from `termGrid` on an inner time split (`ScorecardFit.Selection`).
    public var maxTerms: Int?
    /// The L2 penalty of the logistic regression; nil: chosen from `lambdaGrid` on the inner time split.
    public var lambda: Double?
    /// The numbers of terms and penalties the inner time split tries.
    public static let termGrid = [8, 16, 24, 32, 48]
    public static let lambdaGrid = [1.0, 3, 10, 30]
    /// Used when the training has a single run (no inner split possible) and nothing is given.
    public static let fallbackTerms = 24
    public static let fallbackLambda = 10.0
    /// Points to double the odds: the scale of the points, as in the shipped scorecard (about 20).
    public var pointsToDoubleOdds = 20.0
    /// Seed of the bootstrap intervals.
    public var seed: UInt64 = 20_241_231

    public init() {}
}
