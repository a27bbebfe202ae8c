import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import TestSupport
import Testing

/// Every row is accepted or rejected with its file, line, field and reason.
@Suite struct IngestTests {
    @Test func badRowsAreRejectedWithReasons() throws {
        var d = MiniDataset()
        d.enterprise(1)
        let e1 = MiniDataset.uscc(1)
        let badCheck = String(e1.dropLast()) + (e1.last == "0" ? "1" : "0")
        d.add("penalties", [e1, "ok", "2024-01-01", "fine", "general", "10"])  // line 2: fine
        d.add("penalties", [badCheck, "x", "2024-01-01", "fine", "general", "10"])  // line 3: check character
        d.add("penalties", [e1, "x", "2024-13-45", "fine", "general", "10"])  // line 4: date
        d.add("penalties", [e1, "x", "2024-01-01", "fine", "general", "-5"])  // line 5: negative amount
        d.add("penalties", [e1, "x", "2024-01-01", "fine", "general", "abc"])  // line 6: non-numeric
        d.add("penalties", [e1, "x", "2024-01-01", "fined", "general", "10"])  // line 7: unknown code
        d.add("penalties", [e1, "x", "2024-01-01", "fine"])  // line 8: wrong number of fields
        d.add("penalties", [MiniDataset.uscc(9), "x", "2024-01-01", "fine", "general", "10"])  // line 9: unknown enterprise
        let (_, ingest) = try d.evaluate(tagFile([("p", "numeric", "count(penalties)")]))
        let stats = ingest.stats.first { $0.source == "penalties" }!
        #expect(stats.rowsRead == 8)
        #expect(stats.rowsAccepted == 1)
        #expect(stats.rowsRejected == 7)
        let rejects = try ReferenceTable.load(d.directory + "/rejects/penalties.csv", requiredColumns: ["file", "line", "field", "reason", "raw"])
        let byLine = Dictionary(uniqueKeysWithValues: rejects.rows.map { (Int($0[1])!, ($0[2], $0[3])) })
        #expect(byLine[3]?.0 == "uscc")
        #expect(byLine[3]?.1.contains("check character") == true)
        #expect(byLine[4]?.0 == "decided_on")
        #expect(byLine[4]?.1.contains("expected a date as YYYY-MM-DD, found '2024-13-45'") == true)
        #expect(byLine[5]?.0 == "amount")
        #expect(byLine[5]?.1.contains("non-negative amount") == true)
        #expect(byLine[6]?.0 == "amount")
        #expect(byLine[7]?.0 == "kind")
        #expect(byLine[7]?.1.contains("unknown code 'fined'") == true)
        #expect(byLine[7]?.1.contains("did you mean 'fine'?") == true)
        #expect(byLine[8]?.1 == "expected 6 fields as in the header, found 4")
        #expect(byLine[9]?.1.contains("no registration record") == true)
        #expect(rejects.rows.allSatisfy { $0[0].hasSuffix("market/penalties.csv") })
    }

    @Test func missingColumnIsAnErrorNamingFileAndColumn() throws {
        var d = MiniDataset()
        d.enterprise(1)
        d.write()
        TestPaths.write("uscc,case_no,decided_on,kind,severty,amount\n", to: d.directory, "market/penalties.csv")
        let e = try #require(throws: InputError.self) {
            _ = try Ingest.run(
                sources: MiniDataset.sources, vocabulary: Vocabulary(), input: d.directory, asOf: Day(iso: "2024-12-31")!,
                rejectsDirectory: d.directory + "/rejects", spillDirectory: d.directory + "/spill", threads: 1,
                sizing: .count(1))
        }
        #expect(e.file.hasSuffix("market/penalties.csv"))
        #expect(e.message.contains("missing required column 'severity'"))
        #expect(e.message.contains("'severty' for 'severity'?"))
    }

    @Test func duplicateRegistrationIsRejected() throws {
        var d = MiniDataset()
        d.enterprise(1)
        d.enterprise(1, capital: "99")
        let (_, ingest) = try d.evaluate(tagFile([("p", "numeric", "count(penalties)")]))
        let reg = ingest.stats.first { $0.source == "registration" }!
        #expect(reg.rowsAccepted == 1 && reg.rowsRejected == 1)
        #expect(TestPaths.read(d.directory + "/rejects/registration.csv").contains("duplicate registration"))
    }
}
