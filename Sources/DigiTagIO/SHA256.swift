import CCrypto
import Foundation

/// SHA-256 from the system's libcrypto (OpenSSL), the one file that uses it.
///
/// Every digest of the project goes through here: input files in the manifest, the pipeline hash, draw
/// tickets, sample audits and the audit log's chain. It replaces swift-crypto, whose bundled BoringSSL
/// (some 250 C files and 80 Swift files) every fresh clone compiled only for this one function. A value:
/// copying a hasher copies its state, so a shared prefix is hashed once (`Ticket.prefix`).
public struct SHA256: @unchecked Sendable {
    // @unchecked: SHA256_CTX is a plain C struct of integers, copied by value like any Swift struct.
    private var context = SHA256_CTX()

    public init() { SHA256_Init(&context) }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        guard let base = bufferPointer.baseAddress, !bufferPointer.isEmpty else { return }
        SHA256_Update(&context, base, bufferPointer.count)
    }

    public mutating func update(data: some DataProtocol) {
        for region in data.regions { region.withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// The digest of what was absorbed; the hasher itself is left as it was.
    public func finalize() -> Digest {
        var copy = context
        var digest = Digest()
        withUnsafeMutableBytes(of: &digest.bytes) { out in
            _ = SHA256_Final(out.baseAddress!.assumingMemoryBound(to: UInt8.self), &copy)
        }
        return digest
    }

    public static func hash(data: some DataProtocol) -> Digest {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }

    /// 32 bytes, in order.
    public struct Digest: Sequence, Hashable, Sendable {
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try Swift.withUnsafeBytes(of: bytes, body)
        }

        public func makeIterator() -> IndexingIterator<[UInt8]> { withUnsafeBytes { Array($0) }.makeIterator() }

        public static func == (a: Digest, b: Digest) -> Bool { a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } } }
        public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
