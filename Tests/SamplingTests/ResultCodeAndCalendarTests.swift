import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Sampling
import TestSupport
import Testing

@Suite struct InspectionResultCodeTests {
    @Test func parsesCodesAndPublishedWordingSeparatedBySemicolons() throws {
        #expect(try InspectionResultCode.parseList("corrected;not_published").get() == [.corrected, .notPublished])
        #expect(try InspectionResultCode.parseList(" 发现问题已责令改正 ； not_published ").get() == [.corrected, .notPublished])
        #expect(try InspectionResultCode.parseList("no_problem").get() == [.noProblem])
        for c in InspectionResultCode.allCases { #expect(InspectionResultCode(code: c.text) == c) }
    }

    @Test func refusesWhatAPublishedResultCannotBe() {
        for (text, message, hint) in [
            ("", "results is empty", "codes: no_problem"), ("corected", "unknown result 'corected'", "did you mean 'corrected'?"),
            ("corrected;corrected", "given twice", nil), ("no_problem;corrected", "'no_problem' cannot be combined", nil),
            ("not_published;unreachable", "'unreachable' cannot be combined", nil), ("corrected;;referred", "an empty entry", nil), ("corrected;", "an empty entry", nil),
        ] {
            guard case .failure(let e) = InspectionResultCode.parseList(text) else {
                Issue.record("'\(text)' was accepted")
                continue
            }
            #expect(e.message.contains(message), "\(e.message)")
            if let hint { #expect(e.hint?.contains(hint) == true, "\(e.hint ?? "")") }
        }
    }
}

@Suite struct WorkingDaysTests {
    static func day(_ s: String) -> Day { Day(iso: s)! }

    @Test func weekdaysAndTwentyWorkingDays() {
        #expect(WorkingDays.weekday(Self.day("2025-02-10")) == 0, "a Monday")
        #expect(WorkingDays.weekday(Self.day("2025-02-16")) == 6, "a Sunday")
        #expect(WorkingDays.weekday(Self.day("1969-12-31")) == 2, "a Wednesday, before the epoch")
        let w = WorkingDays.weekendsOnly
        // Completed on a Thursday: four whole weeks later. On a Saturday: the 20th working day is a Friday.
        #expect(w.adding(workingDays: 20, to: Self.day("2025-02-20")) == Self.day("2025-03-20"))
        #expect(w.adding(workingDays: 20, to: Self.day("2025-02-22")) == Self.day("2025-03-21"))
        #expect(w.adding(workingDays: 1, to: Self.day("2025-02-21")) == Self.day("2025-02-24"))
    }

    @Test func holidaysAndMakeUpWorkingDaysFromAFile() throws {
        let dir = TestPaths.temporaryDirectory("holidays")
        // The 2025 Spring Festival: 28 January – 4 February off, Sunday 26 January and Saturday 8 February worked.
        var rows = ["date,kind", "2025-01-26,workday", "2025-02-08,workday"]
        for d in 28...31 { rows.append("2025-01-\(d),holiday") }
        for d in 1...4 { rows.append("2025-02-0\(d),holiday") }
        let path = TestPaths.write(rows.joined(separator: "\n") + "\n", to: dir, "holidays.csv")
        let w = try WorkingDays.load(path)
        #expect(!w.isWorkingDay(Self.day("2025-01-29")) && w.isWorkingDay(Self.day("2025-02-08")))
        // Completed Friday 24 January, the working days are 26 January (a Sunday, made up), 27 January, then
        // 5–8 February (8th a Saturday, made up), 10–14, 17–21, 24–27 February: the 20th is 27 February.
        #expect(w.adding(workingDays: 20, to: Self.day("2025-01-24")) == Self.day("2025-02-27"))
        #expect(WorkingDays.weekendsOnly.adding(workingDays: 20, to: Self.day("2025-01-24")) == Self.day("2025-02-21"))

        let bad = TestPaths.write("date,kind\n2025-13-01,holiday\n2025-01-01,vacation\n2025-01-02,holiday\n2025-01-02,workday\n", to: dir, "bad.csv")
        do {
            _ = try WorkingDays.load(bad)
            Issue.record("expected errors")
        } catch let e as DiagnosticsError {
            let text = e.description
            #expect(text.contains("bad.csv:2: error: date must be YYYY-MM-DD"), "\(text)")
            #expect(text.contains("bad.csv:3: error: kind must be holiday or workday, found 'vacation'"), "\(text)")
            #expect(text.contains("2025-01-02 is listed as both a holiday and a workday"), "\(text)")
        }
    }
}
