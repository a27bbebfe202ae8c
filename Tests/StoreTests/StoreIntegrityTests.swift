import Engine
import Foundation
import ProfileStore
import Testing

@Suite("Profile store integrity")
struct StoreIntegrityTests {
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as InputError { return e.message } catch { return "\(error)" }
    }

    static func tamper(_ edit: (inout [UInt8]) -> Void) -> String {
        let run = StoreFixture.copyOfRun()
        let path = run + "/store/profile.dts"
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        edit(&bytes)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return run
    }

    /// Reads every block of every column.
    static func readAll(_ run: String) throws {
        let reader = try StoreReader(run: run)
        for c in reader.meta.columns.indices {
            for g in 0..<reader.groupCount { _ = try reader.formatted(column: c, ordinal: g * reader.meta.groupSize) }
        }
    }

    @Test("an intact store reads completely")
    func intact() throws {
        try Self.readAll(StoreFixture.run)
    }

    @Test("a truncated store is refused when opened")
    func truncated() {
        for keep in [0, 10, 100, 5000] {
            let run = Self.tamper { $0 = Array($0.prefix(keep)) }
            let m = Self.message { try Self.readAll(run) }
            #expect(m?.contains("truncated") == true, "\(keep) bytes: \(m ?? "no error")")
        }
        let cut = Self.tamper { $0.removeLast(7) }
        #expect(Self.message { try Self.readAll(cut) }?.contains("truncated") == true)
    }

    @Test("a flipped byte in a block is caught by its checksum")
    func corruptBlock() {
        let run = Self.tamper { $0[40] ^= 0x5A }
        let m = Self.message { try Self.readAll(run) }
        #expect(m?.contains("checksum mismatch in the block of column") == true, "\(m ?? "no error")")
    }

    @Test("a flipped byte in the metadata or directory is caught when opened")
    func corruptMetadata() {
        let run = Self.tamper { $0[$0.count - 60] ^= 0x01 }
        let m = Self.message { _ = try StoreReader(run: run) }
        #expect(m?.contains("checksum does not match") == true, "\(m ?? "no error")")
    }

    @Test("a store of an unknown version is refused with a clear message")
    func unknownVersion() {
        let run = Self.tamper { $0[8] = 2 }
        let m = Self.message { _ = try StoreReader(run: run) }
        #expect(m?.contains("format version 2 is not supported: this digitag reads version 1") == true, "\(m ?? "no error")")
        let notStore = Self.tamper { $0[0] = 0x41 }
        #expect(Self.message { _ = try StoreReader(run: notStore) }?.contains("not a digitag profile store") == true)
    }

    @Test("a run without a store says so")
    func missing() {
        let run = StoreFixture.copyOfRun()
        try? FileManager.default.removeItem(atPath: run + "/store")
        #expect(Self.message { _ = try StoreReader(run: run) }?.contains("no profile store") == true)
    }
}

@Suite("Store checksum")
struct StoreChecksumTests {
    @Test("CRC-32 gives the standard check value, on every length")
    func checkValue() {
        #expect(StoreChecksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(StoreChecksum.crc32([]) == 0)
        #expect(StoreChecksum.crc32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }
}
