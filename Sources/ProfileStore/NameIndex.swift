import DigiTagBase
import Engine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The name index of a run's profile store, `store/names.idx` (docs/STORE-FORMAT.md, "Name index"): every
/// enterprise's name in ordinal (USCC) order, and for every pair of adjacent characters (a bigram) the
/// ordinals of the names that contain it, so `digitag find 华力` reads two short lists instead of every name.
///
/// A side file beside `profile.dts`, not a block of it, so the store's format (version 1) is unchanged and a
/// run without the file still opens (`find` says to run again). Written by `StoreWriter.close()`.
public enum NameIndex {
    public static let fileName = "names.idx"
    public static let version: UInt32 = 1
    static let magic = Array("DGTNAMES".utf8)
    static let endMark = Array("DGTNEND1".utf8)
    static let headerSize = 48

    public static func path(run: String) -> String {
        FileSystem.join(FileSystem.join(run, StoreFormat.directoryName), fileName)
    }

    /// The distinct bigrams of a name, each as (first scalar << 32 | second scalar), ascending.
    static func bigrams(_ scalars: [UInt32]) -> [UInt64] {
        guard scalars.count >= 2 else { return [] }
        var keys = (0..<(scalars.count - 1)).map { UInt64(scalars[$0]) << 32 | UInt64(scalars[$0 + 1]) }
        keys.sort()
        var out: [UInt64] = []
        out.reserveCapacity(keys.count)
        for k in keys where out.last != k { out.append(k) }
        return out
    }

    /// Writes the index of `names` (ordinal order) to `path`.
    ///
    /// - Complexity: two passes over the names; memory for the postings, 4 bytes per distinct bigram of
    ///   each name (about 50 MB per million enterprises), plus one count per distinct bigram.
    package static func write(names: [String], to path: String) throws {
        // Pass 1: how many names hold each bigram.
        var counts: [UInt64: Int] = [:]
        var nameBytes = 0
        for name in names {
            nameBytes += name.utf8.count
            for k in bigrams(name.unicodeScalars.map(\.value)) { counts[k, default: 0] += 1 }
        }
        let keys = counts.keys.sorted()
        var starts = [UInt64](repeating: 0, count: keys.count + 1)
        var cursor: [UInt64: Int] = [:]
        cursor.reserveCapacity(keys.count)
        for (i, k) in keys.enumerated() {
            cursor[k] = Int(starts[i])
            starts[i + 1] = starts[i] + UInt64(counts[k]!)
        }
        // Pass 2: the ordinals, ascending within each bigram because names come in ordinal order.
        var postings = [UInt32](repeating: 0, count: Int(starts[keys.count]))
        for (ordinal, name) in names.enumerated() {
            for k in bigrams(name.unicodeScalars.map(\.value)) {
                let at = cursor[k]!
                postings[at] = UInt32(ordinal)
                cursor[k] = at + 1
            }
        }
        var out: [UInt8] = magic
        out.reserveCapacity(headerSize + 8 * (names.count + 1) + nameBytes + 16 * keys.count + 4 * postings.count + 16)
        out.appendLE(version)
        out.appendLE(UInt32(0))
        out.appendLE(UInt64(names.count))
        out.appendLE(UInt64(keys.count))
        out.appendLE(UInt64(nameBytes))
        out.appendLE(UInt64(postings.count))
        var offset: UInt64 = 0
        out.appendLE(offset)
        for name in names {
            offset += UInt64(name.utf8.count)
            out.appendLE(offset)
        }
        for name in names { out += name.utf8 }
        while out.count % 8 != 0 { out.append(0) }
        for k in keys { out.appendLE(k) }
        for s in starts { out.appendLE(s) }
        for p in postings { out.appendLE(p) }
        out += endMark
        let file = try OutputFile(creating: path)
        try file.write(out)
        try file.sync()
        try file.close()
    }
}

/// A name index opened for searching: the file is mapped, and only the pages a search touches are read.
public final class NameIndexReader: @unchecked Sendable {
    // @unchecked Sendable: the mapping is read-only and never changes after init; it is unmapped in deinit.
    public let path: String
    public let count: Int
    let base: UnsafeRawPointer
    let size: Int
    let offsetsAt: Int
    let namesAt: Int
    let keysAt: Int
    let startsAt: Int
    let postingsAt: Int
    let gramCount: Int

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError(
                file: path, message: "no name index here (runs published before digitag find existed have none: run that date again)")
        }
        defer { Glibc.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError(file: path, message: "cannot read the name index") }
        size = Int(st.st_size)
        guard size >= NameIndex.headerSize + 16 else { throw InputError(file: path, message: "truncated name index: \(size) bytes") }
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw InputError(file: path, message: "cannot map the name index: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(m)
        let b = UnsafeRawBufferPointer(start: base, count: size)
        do {
            guard Array(b[0..<8]) == NameIndex.magic else {
                throw InputError(file: path, message: "not a digitag name index (its first bytes are not 'DGTNAMES')")
            }
            let version = b.loadLE(UInt32.self, at: 8)
            guard version == NameIndex.version else {
                throw InputError(
                    file: path, message: "name index version \(version) is not supported: this digitag reads version \(NameIndex.version) (run again to rebuild it)")
            }
            guard Array(b[(size - 8)..<size]) == NameIndex.endMark else {
                throw InputError(file: path, message: "truncated or unfinished name index: the end mark 'DGTNEND1' is missing")
            }
            count = Int(b.loadLE(UInt64.self, at: 16))
            gramCount = Int(b.loadLE(UInt64.self, at: 24))
            let nameBytes = Int(b.loadLE(UInt64.self, at: 32))
            let postingCount = Int(b.loadLE(UInt64.self, at: 40))
            offsetsAt = NameIndex.headerSize
            namesAt = offsetsAt + 8 * (count + 1)
            keysAt = (namesAt + nameBytes + 7) / 8 * 8
            startsAt = keysAt + 8 * gramCount
            postingsAt = startsAt + 8 * (gramCount + 1)
            guard postingsAt + 4 * postingCount + 8 == size else {
                throw InputError(file: path, message: "corrupt name index: its sizes do not add up to the file's \(size) bytes")
            }
        } catch {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    private func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }

    /// The byte range of name `ordinal` in the file.
    private func nameRange(_ ordinal: Int) -> Range<Int> {
        let start = namesAt + Int(u64(offsetsAt + 8 * ordinal))
        let end = namesAt + Int(u64(offsetsAt + 8 * (ordinal + 1)))
        return start..<max(start, min(end, keysAt))
    }

    public func name(_ ordinal: Int) -> String {
        let r = nameRange(ordinal)
        return String(decoding: UnsafeRawBufferPointer(start: base + r.lowerBound, count: r.count), as: UTF8.self)
    }

    /// The ordinals holding bigram `key`, ascending; empty when no name has it.
    private func postings(_ key: UInt64) -> UnsafeBufferPointer<UInt32> {
        var lo = 0
        var hi = gramCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if u64(keysAt + 8 * mid) < key { lo = mid + 1 } else { hi = mid }
        }
        guard lo < gramCount, u64(keysAt + 8 * lo) == key else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = Int(u64(startsAt + 8 * lo))
        let end = Int(u64(startsAt + 8 * (lo + 1)))
        // Little-endian machines only (as the rest of the store's readers assume for speed, checked here).
        return UnsafeBufferPointer(start: (base + postingsAt + 4 * start).assumingMemoryBound(to: UInt32.self), count: end - start)
    }

    /// How a name matches a search: the whole name, its beginning, or somewhere inside.
    public enum Match: Int, Sendable, Comparable {
        case exact = 0, prefix = 1, substring = 2
        public static func < (a: Match, b: Match) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Hit: Sendable, Equatable {
        public var ordinal: Int
        public var match: Match
        public var nameBytes: Int
    }

    /// Every name containing `text` (a part of a name, any length), ranked exact > prefix > substring, then
    /// shorter names first, then by ordinal (USCC order); the first `limit` of them, and how many there are.
    ///
    /// - Complexity: two or more characters: the bigrams' postings lists, intersected shortest first, and each
    ///   remaining candidate's name compared; one character: every name is scanned.
    public func search(_ text: String, limit: Int) -> (hits: [Hit], total: Int) { search(text, limit: limit, where: { _ in true }) }

    /// `search(_:limit:)` over the names whose ordinal `include` accepts (a user's region, in the server):
    /// the rest are neither listed nor counted.
    public func search(_ text: String, limit: Int, where include: (Int) -> Bool) -> (hits: [Hit], total: Int) {
        let needle = Array(text.utf8)
        guard !needle.isEmpty else { return ([], 0) }
        let scalars = text.unicodeScalars.map(\.value)
        var hits: [Hit] = []
        var total = 0
        func consider(_ ordinal: Int) {
            guard include(ordinal) else { return }
            let r = nameRange(ordinal)
            let name = UnsafeRawBufferPointer(start: base + r.lowerBound, count: r.count)
            guard r.count >= needle.count else { return }
            let found: Int? = needle.withUnsafeBytes { Self.firstIndex(of: $0, in: name) }
            guard let at = found else { return }
            total += 1
            let match: Match = at == 0 ? (r.count == needle.count ? .exact : .prefix) : .substring
            hits.append(Hit(ordinal: ordinal, match: match, nameBytes: r.count))
            // Keep the list short: sort and cut whenever it grows past a few times the limit.
            if hits.count >= max(4 * limit, 1024) { rank(&hits, limit) }
        }
        if scalars.count == 1 {
            for ordinal in 0..<count { consider(ordinal) }
        } else {
            var lists = NameIndex.bigrams(scalars).map(postings)
            if lists.contains(where: { $0.isEmpty }) { return ([], 0) }
            lists.sort { $0.count < $1.count }
            var candidates = Array(lists[0])
            for list in lists.dropFirst() where !candidates.isEmpty {
                candidates = Self.intersect(candidates, list)
            }
            for ordinal in candidates { consider(Int(ordinal)) }
        }
        rank(&hits, limit)
        return (hits, total)
    }

    /// Where `needle` first occurs in `haystack` (bytes), or nil: memchr for its first byte, then memcmp.
    static func firstIndex(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        let n = needle.count
        guard n > 0, haystack.count >= n, let hay = haystack.baseAddress, let pattern = needle.baseAddress else { return nil }
        let last = haystack.count - n
        var i = 0
        while i <= last {
            guard let p = memchr(hay + i, Int32(needle[0]), last - i + 1) else { return nil }
            let at = UnsafeRawPointer(p) - hay
            if memcmp(hay + at, pattern, n) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    private func rank(_ hits: inout [Hit], _ limit: Int) {
        hits.sort { ($0.match, $0.nameBytes, $0.ordinal) < ($1.match, $1.nameBytes, $1.ordinal) }
        if hits.count > limit { hits.removeLast(hits.count - limit) }
    }

    /// The ordinals in both ascending lists: each of the shorter list's searched in the longer by galloping.
    static func intersect(_ small: [UInt32], _ large: UnsafeBufferPointer<UInt32>) -> [UInt32] {
        var out: [UInt32] = []
        var lo = 0
        for x in small {
            var step = 1
            var hi = lo
            while hi < large.count && large[hi] < x {
                lo = hi
                hi += step
                step *= 2
            }
            hi = min(hi, large.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if large[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            if lo == large.count { break }
            if large[lo] == x { out.append(x) }
        }
        return out
    }
}
