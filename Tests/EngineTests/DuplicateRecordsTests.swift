import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import TestSupport
import Testing

/// Issue #13, item 6: records delivered twice (the same natural key for the same enterprise) are counted
/// once, the first read kept, and every repeat is reported. Hand-made deliveries, counts worked by hand.
@Suite struct DuplicateRecordsTests {
    static let tags = tagFile([
        ("n", "numeric", "count(tax_filings)"),
        ("total", "numeric", "sum(tax_filings.amount)"),
        ("penalties", "numeric", "count(penalties)"),
    ])

    /// Filings of three enterprises; a part re-sends three of them in another order, and the main file
    /// repeats one of its own rows with another amount. Files are read by name, so the part
    /// (`filings-resent.csv`) comes before the main file (`filings.csv`).
    static func delivery(withPart: Bool, inFileRepeat: Bool) -> MiniDataset {
        var d = MiniDataset()
        for i in 1...3 { d.enterprise(i) }
        let (e1, e2, e3) = (MiniDataset.uscc(1), MiniDataset.uscc(2), MiniDataset.uscc(3))
        d.add("tax_filings", [e1, "vat", "2024-01", "2024-02-15", "2024-02-10", "100"])
        d.add("tax_filings", [e1, "vat", "2024-02", "2024-03-15", "2024-03-10", "200"])
        d.add("tax_filings", [e1, "cit", "2024-02", "2024-03-15", "2024-03-10", "400"])  // same period, other tax: not a repeat
        d.add("tax_filings", [e2, "vat", "2024-01", "2024-02-15", "2024-02-10", "1000"])
        d.add("tax_filings", [e3, "vat", "2024-01", "2024-02-15", "2024-02-10", "10"])
        if inFileRepeat { d.add("tax_filings", [e3, "vat", "2024-01", "2024-02-15", "2024-02-11", "99"]) }
        // Penalties: one enterprise with two decisions, and one decision number repeated.
        d.add("penalties", [e1, "济历市监罚〔2024〕1号", "2024-05-01", "fine", "minor", "500"])
        d.add("penalties", [e1, "济历市监罚〔2024〕2号", "2024-05-01", "fine", "minor", "500"])
        if inFileRepeat { d.add("penalties", [e1, "济历市监罚〔2024〕1号", "2024-05-01", "fine", "minor", "500"]) }
        d.write()
        if withPart {
            let header = MiniDataset.sources.source("tax_filings")!.fields.map(\.name).joined(separator: ",")
            TestPaths.write(
                header + "\n" + [
                    "\(e2),vat,2024-01,2024-02-15,2024-02-10,1000",
                    "\(e1),vat,2024-02,2024-03-15,2024-03-10,200",
                    "\(e1),vat,2024-01,2024-02-15,2024-02-10,100",
                ].joined(separator: "\n") + "\n", to: d.directory, "tax/filings-resent.csv")
        }
        return d
    }

    static func duplicates(_ ingest: IngestResult, _ source: String) throws -> DuplicateRecords {
        let s = try #require(MiniDataset.sources.sources.firstIndex { $0.name == source })
        var total = DuplicateRecords()
        for k in 0..<ingest.plan.count { total.add(try ingest.shard(k).duplicates[s]) }
        return total
    }

    @Test(arguments: [1, 2, 3])
    func aResentPartChangesNoTagAndEveryRepeatIsCounted(shards: Int) throws {
        let clean = try Self.delivery(withPart: false, inFileRepeat: false).evaluate(Self.tags, shards: shards)
        let resent = try Self.delivery(withPart: true, inFileRepeat: false).evaluate(Self.tags, shards: shards)
        #expect(clean.values["n"] == ["3", "1", "1"])
        #expect(resent.values == clean.values)
        // Read and accepted as rows (nothing is lost from the ledger); left out of the tags.
        let filings = try #require(resent.ingest.stats.first { $0.source == "tax_filings" })
        #expect(filings.rowsAccepted == 5 + 3)
        let found = try Self.duplicates(resent.ingest, "tax_filings")
        #expect(found.count == 3)
        #expect(try Self.duplicates(clean.ingest, "tax_filings") == DuplicateRecords())
        // Examples in USCC order, then delivery order: the part is read first, so the main file's rows of
        // enterprise 1 (vat 2024-01, then vat 2024-02) are the repeats, then enterprise 2's.
        #expect(found.examples.map(\.uscc) == [1, 1, 2].map { try! USCC.parse(MiniDataset.uscc($0)).get() })
        // Key values as stored (tax_type's code, then period's day number): vat 2024-01 before vat 2024-02.
        let periods = found.examples.map { Day(Int32(Double(bitPattern: $0.values[1]))).description }
        #expect(periods == ["2024-01-01", "2024-02-01", "2024-01-01"])
    }

    @Test func aRepeatInsideOneFileKeepsTheFirstRecord() throws {
        let once = try Self.delivery(withPart: false, inFileRepeat: true).evaluate(Self.tags, shards: 2)
        // Enterprise 3's second vat 2024-01 (amount 99) is the repeat: its total stays 10.
        #expect(once.values["n"] == ["3", "1", "1"])
        #expect(once.values["total"] == ["700", "1000", "10"])
        // The penalty decision 1号 twice: counted once, beside 2号.
        #expect(once.values["penalties"] == ["2", "0", "0"])
        let filings = try Self.duplicates(once.ingest, "tax_filings")
        #expect(filings.count == 1)
        #expect(filings.examples.map(\.uscc) == [try USCC.parse(MiniDataset.uscc(3)).get()])
        let penalties = try Self.duplicates(once.ingest, "penalties")
        #expect(penalties.count == 1)
        #expect(penalties.examples.map(\.uscc) == [try USCC.parse(MiniDataset.uscc(1)).get()])
        // Complaints declare no key: two identical complaints on one day are two complaints.
        #expect(MiniDataset.sources.source("complaints")!.key.isEmpty)
    }

    /// A source without a key is never checked: the same complaint twice counts twice.
    @Test func aSourceWithoutAKeyCountsEveryRecord() throws {
        var d = MiniDataset()
        d.enterprise(1)
        for _ in 0..<2 { d.add("complaints", [MiniDataset.uscc(1), "2024-03-01", "price", "Y"]) }
        let r = try d.evaluate(tagFile([("c", "numeric", "count(complaints)")]))
        #expect(r.values["c"] == ["2"])
        #expect(try Self.duplicates(r.ingest, "complaints").count == 0)
    }
}

/// `key:` in sources.yaml is checked when the schemas load: every problem with its place (exit 2).
@Suite struct NaturalKeyConfigurationTests {
    static func load(_ edit: (String) -> String) throws -> SourceCatalog {
        let dir = TestPaths.temporaryDirectory("keys")
        let path = TestPaths.write(edit(TestPaths.read(TestPaths.repo("Pipelines/sources.yaml"))), to: dir, "sources.yaml")
        let regions = try ReferenceTable.load(TestPaths.repo("Pipelines/regions.csv"), requiredColumns: ["code", "city_code"])
        let industries = try ReferenceTable.load(TestPaths.repo("Pipelines/industries.csv"), requiredColumns: ["code", "section"])
        return try SourceCatalog.load(path: path, regions: regions, industries: industries)
    }

    static func problems(_ edit: (String) -> String) -> [Diagnostic] {
        do {
            _ = try load(edit)
            return []
        } catch let e as DiagnosticsError {
            return e.diagnostics
        } catch {
            return [Diagnostic(SourceLocation(file: "-"), "\(error)")]
        }
    }

    @Test func shippedKeysLoad() throws {
        let sources = try Self.load { $0 }
        let filings = try #require(sources.source("tax_filings"))
        #expect(filings.key.map { filings.fields[$0].name } == ["uscc", "tax_type", "period"])
        let keyed = sources.sources.filter { !$0.key.isEmpty }.map(\.name)
        #expect(Set(keyed) == Set(sources.sources.map(\.name)).subtracting(["registration", "complaints"]))
    }

    @Test func unknownFieldIsNamedWithItsPlace() throws {
        let p = Self.problems { $0.replacingOccurrences(of: "key: [uscc, tax_type, period]", with: "key: [uscc, tax_type, perod]") }
        #expect(p.count == 1)
        let d = try #require(p.first)
        #expect(d.message == "unknown field 'perod' in the key of source 'tax_filings'")
        #expect(d.hint == "did you mean 'period'?")
        let line = TestPaths.read(TestPaths.repo("Pipelines/sources.yaml")).components(separatedBy: "\n")
            .firstIndex { $0.contains("key: [uscc, tax_type, period]") }.map { $0 + 1 }
        #expect(d.location.line == line)
        #expect(d.location.file.hasSuffix("sources.yaml"))
    }

    @Test func keyWithoutTheUSCCTwiceNamedEmptyOrOnRegistrationIsRefused() throws {
        let noUSCC = Self.problems { $0.replacingOccurrences(of: "key: [uscc, report_year]", with: "key: [report_year]") }
        #expect(noUSCC.map(\.message) == ["the key of source 'annual_reports' must include its USCC field 'uscc'"])
        let twice = Self.problems { $0.replacingOccurrences(of: "key: [uscc, report_year]", with: "key: [uscc, report_year, uscc]") }
        #expect(twice.map(\.message) == ["field 'uscc' is named twice in the key of source 'annual_reports'"])
        let empty = Self.problems { $0.replacingOccurrences(of: "key: [uscc, report_year]", with: "key: []") }
        #expect(empty.map(\.message) == ["the key of source 'annual_reports' is empty"])
        let registration = Self.problems {
            $0.replacingOccurrences(of: "    multiline: true", with: "    multiline: true\n    key: [uscc]")
        }
        #expect(registration.map(\.message) == ["source 'registration' is the registration directory: its key is the USCC and cannot be declared"])
    }
}
