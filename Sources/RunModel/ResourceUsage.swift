import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// CPU time and peak memory of this process so far, sampled at the end of each stage.
package struct ResourceUsage {
    package var cpuSeconds: Double
    /// Peak resident set size of the process since it started, in bytes.
    package var peakRSSBytes: Int

    package static func now() -> ResourceUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ResourceUsage(
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakRSSBytes: highWaterMark() ?? usage.ru_maxrss * 1024)
    }

    /// `VmHWM` of /proc/self/status: the peak of this program's own memory. Not `ru_maxrss`, which Linux
    /// carries over from the parent when a process is started with vfork + exec (as Foundation's
    /// `Process` and `posix_spawn` do), so a child of a big process would report its parent's peak.
    static func highWaterMark() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        let kilobytes = line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
}

/// One stage of a run in `manifest.json`: wall and CPU seconds, and the process's peak memory at its end.
public struct StageUsage: Codable, Sendable, Equatable {
    public var stage: String
    public var wallSeconds: Double
    public var cpuSeconds: Double
    /// Peak resident memory of the run up to the end of this stage.
    public var peakRSSBytes: Int

    public init(stage: String, wallSeconds: Double, cpuSeconds: Double, peakRSSBytes: Int) {
        self.stage = stage
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakRSSBytes = peakRSSBytes
    }

    enum CodingKeys: String, CodingKey {
        case stage
        case wallSeconds = "wall_seconds"
        case cpuSeconds = "cpu_seconds"
        case peakRSSBytes = "peak_rss_bytes"
    }
}
