import Foundation
import DigiTagBase

/// The Unified Social Credit Code (统一社会信用代码, GB 32100-2015).
///
/// 18 symbols from a 31-symbol alphabet (no I, O, Z, S, V); the 18th is a check character over the first 17.
/// Codes are packed into a `UInt128` (5 bits a symbol, most significant first) so that numeric order
/// equals the order of the text, keys are cheap to hash and compare, and no `String` is built per row.
public enum USCC {
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Value of each ASCII byte in the alphabet, or -1.
    @usableFromInline
    static let valueOf: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// Why a text is not a valid USCC.
    public enum Problem: DigitagError, Equatable, Sendable {
        public var exitStatus: ExitStatus { .badInput }
        case wrongLength(Int)
        case invalidCharacter(position: Int)
        case wrongCheckCharacter(expected: Character, found: Character)

        public var description: String {
            switch self {
            case .wrongLength(let n): return "a USCC has 18 characters, found \(n)"
            case .invalidCharacter(let p):
                return "character \(p) is not in the USCC alphabet 0-9 A-H J-N P-R T U W X Y"
            case .wrongCheckCharacter(let e, let f):
                return "check character is '\(f)', GB 32100-2015 gives '\(e)'"
            }
        }
    }

    /// The check character for 17 symbol values.
    public static func checkValue(_ values: some Collection<Int>) -> Int {
        var sum = 0
        for (v, w) in zip(values, weights) { sum += v * w }
        let c = 31 - sum % 31
        return c == 31 ? 0 : c
    }

    /// Validates and packs a code from raw bytes.
    @inlinable
    public static func parse(_ b: UnsafeRawBufferPointer) -> Result<UInt128, Problem> {
        guard b.count == 18 else { return .failure(.wrongLength(b.count)) }
        var packed: UInt128 = 0
        var sum = 0
        for i in 0..<17 {
            let v = Int(valueOf[Int(b[i])])
            if v < 0 { return .failure(.invalidCharacter(position: i + 1)) }
            sum &+= v * weights[i]
            packed = (packed << 5) | UInt128(v)
        }
        let last = Int(valueOf[Int(b[17])])
        if last < 0 { return .failure(.invalidCharacter(position: 18)) }
        var c = 31 - sum % 31
        if c == 31 { c = 0 }
        if c != last {
            return .failure(
                .wrongCheckCharacter(
                    expected: Character(Unicode.Scalar(alphabet[c])), found: Character(Unicode.Scalar(alphabet[last]))))
        }
        return .success((packed << 5) | UInt128(last))
    }

    public static func parse(_ text: String) -> Result<UInt128, Problem> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { parse(UnsafeRawBufferPointer($0)) }
    }

    /// A USCC as a person typed or pasted it: surrounding spaces (ASCII or 　) trimmed, full-width letters
    /// and digits (ＡＢ１２, as Chinese input methods give them) folded to ASCII, letters upper-cased.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if (0xFF01...0xFF5E).contains(u.value), let ascii = Unicode.Scalar(u.value - 0xFEE0) {
                scalars.append(ascii)
            } else if u.value == 0x3000 {
                scalars.append(" ")
            } else {
                scalars.append(u)
            }
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// `parse` of a typed USCC (`normalize`d first); lengths and positions count characters, not bytes,
    /// so "企业代码" is 4 characters long, not 12.
    public static func parseTyped(_ text: String) -> Result<UInt128, Problem> {
        let code = normalize(text)
        let characters = Array(code)
        guard characters.count == 18 else { return .failure(.wrongLength(characters.count)) }
        if let i = characters.firstIndex(where: { !$0.isASCII }) { return .failure(.invalidCharacter(position: i + 1)) }
        return parse(code)
    }

    public static func isValid(_ text: String) -> Bool {
        if case .success = parse(text) { return true }
        return false
    }

    /// The 18-character text of a packed code.
    public static func text(_ packed: UInt128) -> String {
        var out = [UInt8](repeating: 0, count: 18)
        var p = packed
        for i in stride(from: 17, through: 0, by: -1) {
            out[i] = alphabet[Int(p & 31)]
            p >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the check character to 17 valid symbols (used by the generator and tests).
    public static func complete(_ first17: String) -> String {
        let values = first17.utf8.map { Int(valueOf[Int($0)]) }
        precondition(values.count == 17 && values.allSatisfy { $0 >= 0 }, "not 17 USCC symbols: \(first17)")
        return first17 + String(Character(Unicode.Scalar(alphabet[checkValue(values)])))
    }

    /// A stable 64-bit mix of the packed code, used to assign enterprises to shards.
    @inlinable
    public static func shardHash(_ packed: UInt128) -> UInt64 {
        var x = UInt64(truncatingIfNeeded: packed) ^ (UInt64(truncatingIfNeeded: packed >> 64) &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 30
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 27
        x &*= 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x
    }
}
