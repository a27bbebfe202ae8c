import DigiTagIO
import Foundation
import TestSupport
import Testing

/// Files meant for people are safe to open in Excel: a text cell that a spreadsheet would run as a formula is
/// written with a leading apostrophe; numbers and everything in files for tools are written as they are.
@Suite struct FormulaSafeCSVTests {
    @Test(
        "cells Excel would run are neutralised",
        arguments: [
            ("=1+1", "'=1+1"), ("+86 531 1234", "'+86 531 1234"), ("-食品公司", "'-食品公司"), ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"), ("\t=1+1", "'\t=1+1"), ("\r=1", "'\r=1"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ])
    func neutralised(_ input: String, _ expected: String) {
        #expect(CSVWriter.neutralisingFormula(input) == expected)
    }

    @Test(
        "numbers and ordinary text are left alone",
        arguments: ["-5", "+0.25", "-1.5e3", "0", "济南华力食品有限公司", "A", "'=already neutral", "", "e=mc2", "1-2"])
    func leftAlone(_ input: String) {
        #expect(CSVWriter.neutralisingFormula(input) == input)
    }

    @Test("a formula-safe file reads back with the apostrophe; a file for tools keeps the value as it is")
    func filesForPeopleAndForTools() throws {
        let dir = TestPaths.temporaryDirectory("formula")
        let people = try CSVWriter(path: dir + "/people.csv", header: ["name", "score"], bom: true, formulaSafe: true)
        let tools = try CSVWriter(path: dir + "/tools.csv", header: ["name", "score"])
        for w in [people, tools] {
            try w.row(["=1+1", "-5"])
            try w.close()
        }
        #expect(TestPaths.read(dir + "/people.csv") == "\u{FEFF}name,score\n'=1+1,-5\n")
        #expect(TestPaths.read(dir + "/tools.csv") == "name,score\n=1+1,-5\n")
    }
}
