/// One candidate tag of the fit: its bins over the training inspections, its information value, and what the
/// fit did with it.
public struct CandidateTag: Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case bool, number, category }

    public var tag: String
    public var kind: Kind
    public var binning: WoEBinning
    /// The bin that scores 0 points: the missing values' bin if there is one (risk.yaml gives a missing value no
    /// points), else false for a boolean, else the lowest-risk bin.
    public var referenceBin: Int
    /// Why it is in or out: `selected`, `low IV`, `one bin`, `correlated with <tag> (r)`, `coefficient ≤ 0`,
    /// `max terms`.
    public var status: String
    public var coefficient: Double?
    /// Points per bin (0 for the reference bin); empty when not selected.
    public var points: [Double]

    public var informationValue: Double { binning.informationValue }
    public var selected: Bool { status == "selected" }

    /// The WoE a value is encoded as: its bin's, or the reference bin's for a missing value.
    func woe(number v: Double) -> Double {
        binning.bins[binning.binIndex(v) ?? referenceBin].woe
    }

    func woe(category v: String?) -> Double {
        binning.bins[binning.binIndex(category: v) ?? referenceBin].woe
    }
}
