/// The people behind enterprises: about one person in ten represents two to five enterprises.
///
/// Enterprises are grouped in blocks of 8 consecutive indices; inside a block each slot either starts a
/// new person or joins the previous slot's person (groups of at most 5). The partition depends only on
/// `(seed, block)`, so an enterprise finds its representative without looking at any other enterprise
/// and independently of how many are generated. The group's first enterprise is its *leader*: the
/// person's name and id derive from the leader's index.
struct LegalRepresentative: Sendable {
    /// Index of the first enterprise of this person's group.
    let leader: Int
    /// Number of enterprises in the group (within the block; enterprises past N simply do not exist).
    let groupSize: Int
    let name: String
    /// `P` + 10 digits: a bijective scramble of the leader index, so ids are unique per person.
    let id: String

    static let blockSize = 8
    static let maxGroup = 5
    static let joinProbability = 0.14

    init(enterprise index: Int, seed: UInt64) {
        let block = index / LegalRepresentative.blockSize
        var random = Random(seed: seed, key: UInt64(block), stream: .personBlock)
        let slot = index % LegalRepresentative.blockSize
        var start = 0
        var size = 1
        var myStart = 0
        var mySize = 1
        for k in 1..<LegalRepresentative.blockSize {
            let joins = random.chance(LegalRepresentative.joinProbability) && size < LegalRepresentative.maxGroup
            if joins {
                size += 1
            } else {
                if slot >= start && slot < start + size { (myStart, mySize) = (start, size) }
                start = k
                size = 1
            }
        }
        if slot >= start && slot < start + size { (myStart, mySize) = (start, size) }
        leader = block * LegalRepresentative.blockSize + myStart
        groupSize = mySize
        var personRandom = Random(seed: seed, key: UInt64(leader), stream: .person)
        name = ChineseText.personName(&personRandom)
        id = LegalRepresentative.personID(leader: leader, seed: seed)
    }

    /// An affine permutation of [0, 10^10): unique for every leader below 10^10.
    static func personID(leader: Int, seed: UInt64) -> String {
        let modulus: UInt64 = 10_000_000_000
        let multiplier: UInt64 = 7_368_787_913  // coprime with 10^10 (odd, not a multiple of 5)
        let offset = Random.splitMix(seed ^ 0x5045_5253_4F4E) % modulus
        let product = UInt64(leader).multipliedFullWidth(by: multiplier)
        let scrambled = (modulus.dividingFullWidth((product.high, product.low)).remainder + offset) % modulus
        var digits = String(scrambled)
        while digits.count < 10 { digits = "0" + digits }
        return "P" + digits
    }
}
