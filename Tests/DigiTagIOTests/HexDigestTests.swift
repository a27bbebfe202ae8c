import DigiTagIO
import Foundation
import Testing

/// The project's one hex SHA-256, against the published test vectors (FIPS 180-2).
@Suite struct HexDigestTests {
    @Test("SHA-256 of 'abc' and of nothing, as lower-case hex")
    func vectors() {
        #expect(HexDigest.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HexDigest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(HexDigest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
