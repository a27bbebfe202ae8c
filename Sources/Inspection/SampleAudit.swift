import DigiTagBase
import Engine
import Foundation

/// `audit.json`: everything needed to re-run a draw and to check that nothing changed since.
///
/// Written with sorted keys and no clock time, so the same draw always writes the same bytes.
public struct SampleAudit: Codable, Sendable, Equatable {
    public struct Task: Codable, Sendable, Equatable {
        public var id: String
        public var nameZh: String
        /// What notice.csv and results.csv show (nil in records before public titles: name_zh was shown).
        public var publicTitle: String?
        public var file: String
        /// SHA-256 of the task text below.
        public var sha256: String
        /// The task file's exact text at the time of the draw.
        public var text: String

        enum CodingKeys: String, CodingKey {
            case id
            case nameZh = "name_zh"
            case publicTitle = "public_title"
            case file, sha256, text
        }
    }

    public struct Run: Codable, Sendable, Equatable {
        public var directory: String
        public var asOf: String
        public var manifestSHA256: String
        public var classesSHA256: String
        /// The profile store the scope's tags were read from; nil when the scope reads no tag.
        public var storeSHA256: String?
        /// Audits written before draws read the store: the run's tags.csv they read instead (verified when present).
        public var tagsSHA256: String?
        /// When the run was published (ISO 8601), as known at the draw.
        public var publishedAt: String?
        /// Where `publishedAt` comes from.
        public var publishedAtSource: String?

        enum CodingKeys: String, CodingKey {
            case publishedAt = "published_at"
            case publishedAtSource = "published_at_source"
            case directory
            case asOf = "as_of"
            case manifestSHA256 = "manifest_sha256"
            case classesSHA256 = "classes_sha256"
            case storeSHA256 = "store_sha256"
            case tagsSHA256 = "tags_sha256"
        }
    }

    /// A policy file (item list, inspector directory, inspection history) and its hash.
    public struct PolicyFile: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String
    }

    public struct Policy: Codable, Sendable, Equatable {
        public var items: PolicyFile
        public var inspectors: PolicyFile
        /// Nil when there was no inspection history file: the "last inspector" rule then had no data.
        public var history: PolicyFile?
        /// SHA-256 over the task's and these files' hashes: one value that changes when any of them does.
        public var sha256: String
    }

    public struct Stratum: Codable, Sendable, Equatable {
        public var key: String
        /// The group's id (tasks with groups only).
        public var group: String?
        public var riskClass: String
        public var size: Int
        public var ratio: String
        /// `size × ratio`, exact.
        public var quota: String
        /// The stratum's rounding lottery number (keyed rounding, strata with a fractional quota).
        public var lottery: Double?
        /// Σ inclusion probabilities: the quota after min/max, or what a weighted group's calibration reaches.
        public var expected: Double?
        /// Weighted groups: the calibrated `c` of `π = min(1, max(floor, c·weight))`.
        public var scale: Double?
        public var drawn: Int

        enum CodingKeys: String, CodingKey {
            case key, group
            case riskClass = "class"
            case size, ratio, quota, lottery, expected, scale, drawn
        }
    }

    /// A group of a task that declares groups: its rule, ratios and totals.
    public struct Group: Codable, Sendable, Equatable {
        public var id: String
        public var nameZh: String
        /// The tag expression; nil for the rest group.
        public var rule: String?
        public var rest: Bool
        public var ratios: String
        public var strata: [String]
        /// The weight expression of a weighted group.
        public var weight: String?
        public var size: Int
        /// Σ inclusion probabilities.
        public var expected: Double
        public var drawn: Int

        enum CodingKeys: String, CodingKey {
            case id
            case nameZh = "name_zh"
            case rule, rest, ratios, strata, weight, size, expected, drawn
        }
    }

    /// One replacement (`digitag sample replace`), in the order they were made.
    public struct Replacement: Codable, Sendable, Equatable {
        public var seq: Int
        /// The enterprise that left.
        public var uscc: String
        public var reason: String
        public var note: String?
        /// The enterprise that took its place: the next in the same stratum's order.
        public var replacement: String
        public var stratum: String
        /// Its place in the stratum's order.
        public var rank: Int
        public var ticket: String
    }

    /// The seed commitment of a task whose seed was fixed in advance (`digitag sample commit`).
    public struct Commitment: Codable, Sendable, Equatable {
        /// SHA-256 (hex) of the nonce; the nonce is `seed`, revealed by the draw.
        public var commitment: String
        public var committedAt: String
        /// The private file the nonce was read from.
        public var nonceFile: String?

        enum CodingKeys: String, CodingKey {
            case commitment
            case committedAt = "committed_at"
            case nonceFile = "nonce_file"
        }
    }

    /// One draw of the task into this sample folder: the current one (`directory` "."), or an earlier one kept
    /// in `draws/<seq>/` by a redraw.
    public struct DrawEntry: Codable, Sendable, Equatable {
        public var seq: Int
        /// When it was drawn (ISO 8601; nil for a draw made before digitag recorded it).
        public var drawnAt: String?
        /// Why it was drawn again (nil for the first draw).
        public var reason: String?
        /// "." for the current draw, else the folder it is kept in, relative to the sample folder.
        public var directory: String
        /// SHA-256 of the kept draw's audit.json (kept draws only): its history cannot change unnoticed.
        public var auditSHA256: String?
        public var seed: String?
        public var run: String?

        enum CodingKeys: String, CodingKey {
            case seq
            case drawnAt = "drawn_at"
            case reason, directory
            case auditSHA256 = "audit_sha256"
            case seed, run
        }
    }

    public struct Department: Codable, Sendable, Equatable {
        public var department: String
        public var items: [String]
        public var inspectorsPerEnterprise: Int
        public var inspectorsUsed: Int
        public var highestLoad: Int

        enum CodingKeys: String, CodingKey {
            case department, items
            case inspectorsPerEnterprise = "inspectors_per_enterprise"
            case inspectorsUsed = "inspectors_used"
            case highestLoad = "highest_load"
        }
    }

    public var formatVersion = 2
    public var task: Task
    public var seed: String
    /// How the seed was obtained: `--seed`, or the task file's seed (and the formula).
    public var seedOrigin: String
    /// True when the seed came from `--seed` (a re-run must pass it again).
    public var seedFromCommandLine: Bool
    /// The commitment the seed was checked against (tasks whose seed was committed in advance).
    public var seedCommitment: Commitment?
    /// Every draw of the task into this folder, in order, the current one last (nil in records before draws
    /// were recorded: one draw).
    public var draws: [DrawEntry]?
    public var pipelineFile: String
    public var pipelineHash: String
    public var run: Run
    public var policy: Policy
    /// The formulas used, in words, so the record explains itself.
    public var method: [String: String]
    public var enterprisesInRun: Int
    public var enterprisesInScope: Int
    public var totalByRatio: Int
    /// Σ inclusion probabilities over the ledger: the expected sample size.
    public var expected: Double
    /// Drawn by the draw itself (replacements not counted).
    public var drawn: Int
    public var replaced: Int
    public var floor: String?
    public var exemptReason: String?
    /// The task's groups (nil for a task without groups).
    public var groups: [Group]?
    /// Class totals (the first rounding level); strata keys are not repeated here.
    public var classes: [Stratum]
    public var strata: [Stratum]
    public var departments: [Department]
    public var swaps: Int
    public var replacements: [Replacement]
    public var planSHA256: String
    public var noticeSHA256: String
    public var ledgerSHA256: String
    /// The command that re-runs this draw (from the same working directory).
    public var rerun: String
    public var verify: String

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case task, seed
        case seedOrigin = "seed_origin"
        case seedFromCommandLine = "seed_from_command_line"
        case seedCommitment = "seed_commitment"
        case draws
        case pipelineFile = "pipeline_file"
        case pipelineHash = "pipeline_hash"
        case run, policy, method
        case enterprisesInRun = "enterprises_in_run"
        case enterprisesInScope = "enterprises_in_scope"
        case totalByRatio = "total_by_ratio"
        case expected, drawn, replaced, floor
        case exemptReason = "exempt_reason"
        case groups, classes, strata, departments, swaps, replacements
        case planSHA256 = "plan_sha256"
        case noticeSHA256 = "notice_sha256"
        case ledgerSHA256 = "ledger_sha256"
        case rerun, verify
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try e.encode(self)
        data.append(0x0A)
        return data
    }

    public static func read(_ path: String) throws -> SampleAudit {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no audit record: not a sample directory")
        }
        // A record of an earlier format was written by an earlier digitag, with other plan columns and no
        // ledger: say so instead of failing on a missing key.
        struct Version: Decodable {
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
        }
        if let v = try? JSONDecoder().decode(Version.self, from: data), let version = v.formatVersion, version < 2 {
            throw InputError(
                file: path,
                message: "audit record format \(version) was written by an earlier digitag (before groups, ledgers and "
                    + "replacements): verify it with the version that drew it, or draw the task again")
        }
        do {
            return try JSONDecoder().decode(SampleAudit.self, from: data)
        } catch {
            throw InputError(file: path, message: "not a readable audit record: \(error)")
        }
    }
}
