import Foundation
import ProfileStore
import Query

/// What a profile adds to the current run's values: the changes since the previous retained run and the
/// class in each retained run, both as the user may see them.
///
/// The previous run is compared under the access policy twice over, the current run's catalog and the
/// previous run's: a tag the user may not see in either is left out of both sides, so a change of catalog
/// between runs never shows a hidden value as a "change". A run in which the enterprise lay outside the
/// user's region (it moved in since) shows no values: that run's data about it belonged to another area.
struct ProfileHistory: Sendable {
    struct Point: Sendable {
        var asOf: String
        /// nil when the enterprise is not in that run, or was outside the user's region then.
        var riskClass: String?
    }

    var changes: ProfileChanges
    /// Oldest first; empty for a role that does not see classes.
    var classes: [Point]
    /// The class codes of the current run and their Chinese names, lowest risk first.
    var classNames: [(code: String, nameZh: String)]

    /// - Parameter ordinal: the enterprise's ordinal in `snapshot`.
    static func gather(
        key: UInt128, ordinal: Int, raw current: EnterpriseProfile, policy: AccessPolicy, snapshot: RunSnapshot, runs: PublishedRuns
    ) throws
        -> ProfileHistory
    {
        let retained = runs.retained(until: snapshot.directory)
        var points: [Point] = []
        if policy.sees(tag: "class") {
            for directory in retained {
                let run = directory == snapshot.directory ? snapshot : try runs.snapshot(directory: directory)
                let census = run.census
                let there: Int? = run === snapshot ? ordinal : try run.withStore { try $0.reader.ordinal(of: key) }
                let cls = there.flatMap { o in policy.inScope(region: census.regionCode(o)) ? census.classCode(o) : nil }
                points.append(Point(asOf: run.asOf, riskClass: cls))
            }
        }
        let changes: ProfileChanges
        if let k = retained.firstIndex(of: snapshot.directory), k > 0 {
            let previous = try runs.snapshot(directory: retained[k - 1])
            let before = try previous.withStore { q -> EnterpriseProfile? in
                guard let row = try q.reader.row(of: key), policy.inScope(region: previous.census.regionCode(row.ordinal)) else { return nil }
                return try EnterpriseProfile.profile(row, reader: q.reader, run: previous.directory)
            }
            if let before {
                let then = AccessPolicy(user: policy.user, clearance: previous.clearance)
                changes = ProfileChanges.compare(
                    then.visible(policy.visible(current)), with: policy.visible(then.visible(before)), previousRun: previous.directory,
                    previousAsOf: previous.asOf)
            } else {
                changes = .none(
                    previousRun: previous.directory, previousAsOf: previous.asOf,
                    note: "上次运行（\(previous.asOf)）中您的范围内没有该企业 not in your area in the previous run (as of \(previous.asOf)))")
            }
        } else {
            changes = .none(previousRun: nil, previousAsOf: nil, note: "没有更早的运行 no earlier run is retained")
        }
        return ProfileHistory(changes: changes, classes: points, classNames: zip(snapshot.meta.classes, snapshot.meta.classNamesZh).map { (code: $0, nameZh: $1) })
    }
}
