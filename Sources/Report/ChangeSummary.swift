import Engine
import Foundation

/// What changed between two runs, as JSON: a run's `changes.json` (against the run that was current
/// before it was published) and the output of `digitag diff --format json`.
///
/// The content is `RunDiff`'s, with its counts worked out so that a tool or a person reading the file
/// needs no arithmetic. Written with sorted keys and no clock time: the same two runs give the same bytes.
public struct ChangeSummary: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Compared with the previous run.
        case compared
        /// There was no published run before this one.
        case firstRun = "first_run"
        /// There was a previous run but it could not be read (`reason` says why); the run was published anyway.
        case unavailable
    }

    public struct ClassChange: Codable, Sendable, Equatable {
        public var uscc: String
        public var name: String
        public var from: String
        public var to: String
        /// `up`: to a higher-risk class; `down`: to a lower one.
        public var direction: String
    }

    public struct Listing: Codable, Sendable, Equatable {
        public var tag: String
        public var uscc: String
        public var name: String
    }

    public struct CoverageMove: Codable, Sendable, Equatable {
        public var tag: String
        public var before: Double
        public var after: Double
    }

    public var formatVersion = 1
    public var status: Status
    /// The earlier run: its name (as-of) in `changes.json`, the directory as given to `digitag diff`.
    public var from: String?
    public var to: String
    public var reason: String?
    /// Tags whose coverage moved by more than this share are listed in `coverageMoves`.
    public var coverageThreshold: Double
    public var enterprisesAdded: Int
    public var enterprisesGone: Int
    public var classUp: Int
    public var classDown: Int
    /// Enterprises newly true, per watched listing tag (`RunDiff.watchedListings`), zeros included.
    public var newListingCounts: [String: Int]
    /// Every class change, in USCC order.
    public var classChanges: [ClassChange]
    /// Every new listing, by tag then USCC.
    public var newListings: [Listing]
    public var coverageMoves: [CoverageMove]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case status, from, to, reason
        case coverageThreshold = "coverage_threshold"
        case enterprisesAdded = "enterprises_added"
        case enterprisesGone = "enterprises_gone"
        case classUp = "class_up"
        case classDown = "class_down"
        case newListingCounts = "new_listing_counts"
        case classChanges = "class_changes"
        case newListings = "new_listings"
        case coverageMoves = "coverage_moves"
    }

    /// The summary of a comparison; `from` and `to` name the runs (the diff's own paths may be a staging folder).
    public init(_ diff: RunDiff, from: String, to: String, coverageThreshold: Double) {
        status = .compared
        self.from = from
        self.to = to
        self.coverageThreshold = coverageThreshold
        enterprisesAdded = diff.enterprisesAdded
        enterprisesGone = diff.enterprisesGone
        classChanges = diff.classChanges.map {
            ClassChange(uscc: $0.uscc, name: $0.name, from: $0.from, to: $0.to, direction: $0.up ? "up" : "down")
        }
        classUp = diff.classChanges.filter(\.up).count
        classDown = diff.classChanges.count - classUp
        newListings = diff.newListings.map { Listing(tag: $0.tag, uscc: $0.uscc, name: $0.name) }
        newListingCounts = Dictionary(uniqueKeysWithValues: RunDiff.watchedListings.map { ($0, 0) })
        for l in diff.newListings { newListingCounts[l.tag, default: 0] += 1 }
        coverageMoves = diff.coverageMoves.map { CoverageMove(tag: $0.tag, before: $0.before, after: $0.after) }
    }

    /// No comparison: a first run, or a previous run that could not be read.
    init(status: Status, from: String?, to: String, reason: String?, coverageThreshold: Double) {
        self.status = status
        self.from = from
        self.to = to
        self.reason = reason
        self.coverageThreshold = coverageThreshold
        enterprisesAdded = 0
        enterprisesGone = 0
        classUp = 0
        classDown = 0
        newListingCounts = [:]
        classChanges = []
        newListings = []
        coverageMoves = []
    }

    public static func firstRun(to: String, coverageThreshold: Double) -> ChangeSummary {
        ChangeSummary(status: .firstRun, from: nil, to: to, reason: nil, coverageThreshold: coverageThreshold)
    }

    public static func unavailable(from: String, to: String, reason: String, coverageThreshold: Double) -> ChangeSummary {
        ChangeSummary(status: .unavailable, from: from, to: to, reason: reason, coverageThreshold: coverageThreshold)
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    public static func read(_ path: String) throws -> ChangeSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no changes.json: the run was made before runs recorded their changes")
        }
        do {
            return try JSONDecoder().decode(ChangeSummary.self, from: data)
        } catch {
            throw InputError(file: path, message: "unreadable change summary: \(error)")
        }
    }
}
