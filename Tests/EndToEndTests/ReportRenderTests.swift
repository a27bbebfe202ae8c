import Foundation
import TestSupport
import Testing

/// `report.html` as a browser shows it: headless Chromium (Debian's `chromium`, installed by
/// `make report-env`) renders the page of a run that has a previous run to compare with; the screenshot
/// must show the charts and the page's text must carry the run's numbers.
@Suite(.serialized) struct ReportRenderTests {
    /// Two nights into one directory, through the command line; the second is current.
    static let runs: Result<String, any Error> = Result {
        let out = TestPaths.temporaryDirectory("report-render")
        for asOf in ["2024-06-30", "2024-12-31"] {
            let r = try CLI.run(
                ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", asOf, "--out", out])
            guard r.status == 0 else { throw RenderError("digitag run --as-of \(asOf) exited with \(r.status): \(r.stderr)") }
        }
        return out + "/current"
    }

    struct RenderError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A machine without Chromium fails here, loudly: skipping would leave the page untested.
    static func chromium() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"] { return path }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = "\(dir)/chromium"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw RenderError("no chromium on PATH: `make report-env` installs Debian's chromium package (or set CHROMIUM)")
    }

    @discardableResult
    static func render(_ extra: [String]) throws -> ProcessRunner.Result {
        let page = try runs.get() + "/report.html"
        // No sandbox: CI runs as root, where Chromium's sandbox refuses to start. A profile of its own, so
        // nothing is read from or left in the user's.
        let profile = TestPaths.temporaryDirectory("chromium-profile")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let r = try ProcessRunner.run(
            try chromium(),
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2000", "--user-data-dir=" + profile]
                + extra + ["file://" + page])
        guard r.status == 0 else { throw RenderError("chromium exited with \(r.status): \(r.stderr.suffix(2000))") }
        return r
    }

    struct Manifest: Decodable {
        struct Source: Decodable {
            var source: String
            var rows_read: Int
            var rows_accepted: Int
        }
        var enterprises: Int
        var class_counts: [String: Int]
        var sources: [Source]
    }

    struct Changes: Decodable {
        var status: String
        var class_up: Int
        var class_down: Int
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        return s.enumerated().map { i, c in (i > 0 && (s.count - i) % 3 == 0 ? "," : "") + String(c) }.joined()
    }

    @Test func theScreenshotShowsThePage() throws {
        let png = TestPaths.temporaryDirectory("report-shot") + "/report.png"
        try Self.render(["--screenshot=" + png])
        // Class colours A and D (ReportPage.classColours): the class cards and the charts were drawn.
        let r = try ProcessRunner.run("/usr/bin/env", ["python3", TestPaths.repo("scripts/png-stats.py"), png, "2e7d32", "c62828"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Stats: Decodable {
            var width: Int
            var height: Int
            var colours: Int
            var non_white: Double
            var counts: [String: Int]
        }
        let s = try JSONDecoder().decode(Stats.self, from: Data(r.stdout.utf8))
        #expect(s.width == 1280 && s.height == 2000)
        // A blank or failed page is one or two colours and almost all white; text, tables and charts are neither.
        #expect(s.colours > 100, "distinct colours: \(s.colours)")
        #expect(s.non_white > 0.05 && s.non_white < 0.9, "non-white share: \(s.non_white)")
        #expect(s.counts["2e7d32", default: 0] > 1000, "class A green pixels: \(s.counts)")
        #expect(s.counts["c62828", default: 0] > 200, "class D red pixels: \(s.counts)")
    }

    @Test func thePageCarriesTheRunsNumbers() throws {
        let dom = try Self.render(["--dump-dom"]).stdout
        let run = try Self.runs.get()
        let m = try JSONDecoder().decode(Manifest.self, from: FileManager.default.contents(atPath: run + "/manifest.json")!)
        let c = try JSONDecoder().decode(Changes.self, from: FileManager.default.contents(atPath: run + "/changes.json")!)
        // What the browser parsed, as text: tags removed, entities decoded where the numbers live.
        let text = dom.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
        #expect(text.contains("Published 2024-12-31: \(Self.grouped(m.enterprises)) enterprises"))
        for (code, n) in m.class_counts { #expect(dom.contains("id=\"class-\(code)\">\(Self.grouped(n))<"), "class \(code)") }
        let filings = try #require(m.sources.first { $0.source == "tax_filings" })
        #expect(text.contains("tax_filings 1 \(Self.grouped(filings.rows_read)) \(Self.grouped(filings.rows_accepted))"))
        // Chinese city names, decoded as UTF-8 by the browser.
        #expect(text.contains("3701 济南市 Jinan"))
        #expect(text.contains("3717 菏泽市 Heze"))
        #expect(c.status == "compared")
        #expect(text.contains("Since 2024-06-30: \(Self.grouped(c.class_up + c.class_down)) enterprises changed class (\(Self.grouped(c.class_up)) ↑"))
        #expect(text.contains("Coverage by tag family"))
        #expect(text.contains("Stage timings"))
    }

    /// `digitag diff --format json` between the two runs prints the second run's changes.json, but for
    /// naming the runs by the paths it was given.
    @Test func diffAsJSONIsTheRunsChangeSummary() throws {
        let current = try Self.runs.get()
        let out = (current as NSString).deletingLastPathComponent
        let r = try CLI.run(["diff", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), out + "/2024-06-30", out + "/2024-12-31", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let published = TestPaths.read(current + "/changes.json")
        #expect(published.contains("\"from\" : \"2024-06-30\""))
        let named = r.stdout
            .replacingOccurrences(of: "\"from\" : \"\(out)/2024-06-30\"", with: "\"from\" : \"2024-06-30\"")
            .replacingOccurrences(of: "\"to\" : \"\(out)/2024-12-31\"", with: "\"to\" : \"2024-12-31\"")
        #expect(named == published + "\n")
    }
}
