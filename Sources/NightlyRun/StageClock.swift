import Foundation
import RunModel

/// Times a run's stages: wall and CPU seconds and peak memory per stage, logged as each one ends and
/// recorded in the manifest (`timings`, `stages`).
struct StageClock {
    let reporter: RunReporter
    /// When the run started (the metrics' duration).
    let started: Date
    private(set) var timings: [String: Double] = [:]
    private(set) var stages: [StageUsage] = []
    private var clock: Date
    private var usage: ResourceUsage

    init(reporter: RunReporter) {
        self.reporter = reporter
        clock = Date()
        usage = ResourceUsage.now()
        started = clock
    }

    /// Ends `stage`: what it took since the previous lap (or the start).
    mutating func lap(_ stage: String) {
        let now = Date()
        let nowUsage = ResourceUsage.now()
        timings[stage] = (now.timeIntervalSince(clock) * 1000).rounded() / 1000
        stages.append(
            StageUsage(
                stage: stage, wallSeconds: timings[stage]!, cpuSeconds: ((nowUsage.cpuSeconds - usage.cpuSeconds) * 1000).rounded() / 1000,
                peakRSSBytes: nowUsage.peakRSSBytes))
        clock = now
        usage = nowUsage
        reporter.info("\(stage): \(timings[stage]!) s")
    }
}
