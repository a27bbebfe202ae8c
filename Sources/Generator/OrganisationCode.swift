import DataContract
import DigiTagIO

/// Builds USCCs (GB 32100-2015) that are valid and unique by construction.
///
/// Position 1 is the registration authority, `9` (market supervision, 工商); position 2 the entity type
/// (`1` enterprise, `2` individual business); positions 3–8 the county code; positions 9–17 an
/// organisation code; position 18 the check character from `USCC.complete`. The organisation code is
/// an affine permutation of the enterprise index over 31^9 values: distinct indices give distinct codes,
/// so USCCs are unique whatever the counties, yet consecutive enterprises do not get consecutive codes.
enum OrganisationCode {
    static let space: UInt64 = 26_439_622_160_671  // 31^9
    /// Coprime with 31^9 (not a multiple of 31).
    static let multiplier: UInt64 = 11_400_714_819_323

    static func uscc(index: Int, entityType: EntityType, countyCode: String, seed: UInt64) -> String {
        let authority = "9"
        let kind = entityType == .individualBusiness ? "2" : "1"
        let offset = Random.splitMix(seed ^ 0x4F52_4743_4F44_45) % space
        let product = UInt64(index).multipliedFullWidth(by: multiplier)
        var value = (space.dividingFullWidth((product.high, product.low)).remainder + offset) % space
        var symbols = [UInt8](repeating: 0, count: 9)
        for i in stride(from: 8, through: 0, by: -1) {
            symbols[i] = USCC.alphabet[Int(value % 31)]
            value /= 31
        }
        return USCC.complete(authority + kind + countyCode + String(decoding: symbols, as: UTF8.self))
    }
}
