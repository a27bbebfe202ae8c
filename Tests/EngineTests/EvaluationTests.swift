import DigiTagBase
import Engine
import Testing

/// Tag values checked against hand computation on a tiny dataset.
@Suite struct EvaluationTests {
    /// Three enterprises (numbered by USCC order) with penalties, filings and list entries.
    func dataset() -> MiniDataset {
        var d = MiniDataset()
        d.enterprise(1, established: "2024-06-01", capital: "12000")
        d.enterprise(2, established: "2010-01-15", capital: "50", type: "sole_proprietorship", region: "370203", industry: "C13")
        d.enterprise(3, established: "2000-05-05", status: "cancelled", statusOn: "2025-02-01")
        let (e1, e2) = (MiniDataset.uscc(1), MiniDataset.uscc(2))
        // penalties: uscc, case_no, decided_on, kind, severity, amount
        d.add("penalties", [e1, "c1", "2024-11-01", "fine", "serious", "1000.50"])
        d.add("penalties", [e1, "c2", "2023-01-10", "warning", "minor", "0"])
        d.add("penalties", [e1, "c3", "2025-01-05", "fine", "serious", "999"])  // after as-of: ignored
        d.add("penalties", [e2, "c4", "2022-06-30", "confiscation", "general", "20000"])
        // abnormal_list: uscc, listed_on, reason, authority, removed_on
        d.add("abnormal_list", [e1, "2024-07-01", "annual_report", "局", "2025-03-01"])  // removal after as-of: still listed
        d.add("abnormal_list", [e2, "2021-07-01", "unreachable", "局", "2022-01-01"])
        // tax_filings: uscc, tax_type, period, due_on, filed_on, amount
        d.add("tax_filings", [e2, "vat", "2024-10", "2024-11-15", "2024-11-20", "100"])  // late
        d.add("tax_filings", [e2, "vat", "2024-11", "2024-12-15", "", "0"])  // missing
        d.add("tax_filings", [e2, "vat", "2024-09", "2024-10-15", "2024-10-10", "200.25"])  // on time
        d.add("tax_filings", [e2, "cit", "2024-12", "2025-01-15", "2025-01-10", "5"])  // due after as-of: ignored
        d.add("tax_filings", [e2, "vat", "2023-12", "2024-01-15", "2025-01-20", "7"])  // filed after as-of: missing that night
        // tax_ratings: uscc, rating_year, rating, score, published_on
        d.add("tax_ratings", [e2, "2022", "B", "80", "2023-04-20"])
        d.add("tax_ratings", [e2, "2023", "C", "55", "2024-04-20"])
        d.add("tax_ratings", [e2, "2024", "A", "95", "2025-04-20"])  // published after as-of
        // licences: uscc, licence_type, issued_on, expires_on
        d.add("licences", [e1, "food_business", "2024-07-01", "2025-02-15"])
        return d
    }

    @Test func aggregatesWindowsAndNulls() throws {
        let (v, _) = try dataset().evaluate(
            tagFile([
                ("p.count.all", "numeric", "count(penalties)"),
                ("p.count.1y", "numeric", "count(penalties within 1y)"),
                ("p.amount.3y", "numeric", "sum(penalties.amount within 3y)"),
                ("p.max", "numeric", "max(penalties.amount)"),
                ("p.avg", "numeric", "avg(penalties.amount)"),
                ("p.serious.1y", "boolean", "exists(penalties where severity == 'serious' within 1y)"),
                ("p.latest_kind", "categorical", "latest(penalties.kind)"),
                ("p.earliest_date", "date", "earliest(penalties.decided_on)"),
                ("p.days_since", "numeric", "days_since(penalties)"),
                ("p.kinds", "numeric", "distinct(penalties.kind)"),
            ]))
        #expect(v["p.count.all"] == ["2", "1", "0"])
        #expect(v["p.count.1y"] == ["1", "0", "0"])
        #expect(v["p.amount.3y"] == ["1000.5", "20000", "0"])
        #expect(v["p.max"] == ["1000.5", "20000", "null"])
        #expect(v["p.avg"] == ["500.25", "20000", "null"])
        #expect(v["p.serious.1y"] == ["true", "false", "false"])
        #expect(v["p.latest_kind"] == ["fine", "confiscation", "null"])
        #expect(v["p.earliest_date"] == ["2023-01-10", "2022-06-30", "null"])
        // 2024-11-01 → 2024-12-31 is 60 days; 2022-06-30 → 2024-12-31 is 915 days.
        #expect(v["p.days_since"] == ["60", "915", "null"])
        #expect(v["p.kinds"] == ["2", "1", "0"])
    }

    @Test func pointInTimeDatesAfterAsOf() throws {
        let (v, ingest) = try dataset().evaluate(
            tagFile([
                ("abn.listed", "boolean", "exists(abnormal_list where removed_on is null)"),
                ("tax.late", "numeric", "count(tax_filings where filed_on > due_on)"),
                ("tax.missing", "numeric", "count(tax_filings where filed_on is null)"),
                ("tax.rating", "categorical", "latest(tax_ratings.rating)"),
                ("lic.valid", "boolean", "exists(licences where expires_on > asof)"),
                ("lic.expiring", "boolean", "exists(licences where expires_on > asof and expires_on <= asof + 90)"),
                ("status", "categorical", "if(reg.status_on is not null and reg.status != 'operating', reg.status, 'operating')"),
            ]))
        #expect(v["abn.listed"] == ["true", "false", "false"])
        #expect(v["tax.late"] == ["0", "1", "0"])
        #expect(v["tax.missing"] == ["0", "2", "0"])
        #expect(v["tax.rating"] == ["null", "C", "null"])
        // An expiry is a planned date: kept though it is after the as-of date.
        #expect(v["lic.valid"] == ["true", "false", "false"])
        #expect(v["lic.expiring"] == ["true", "false", "false"])
        // Cancelled in 2025: still operating on 2024-12-31.
        #expect(v["status"] == ["operating", "operating", "operating"])
        let penalties = ingest.stats.first { $0.source == "penalties" }!
        #expect(penalties.rowsRead == 4 && penalties.rowsAccepted == 4 && penalties.rowsAfterAsOf == 1)
    }

    @Test func anEarlierAsOfEqualsTruncatedData() throws {
        let tags = tagFile([
            ("p.count", "numeric", "count(penalties)"),
            ("abn.listed", "boolean", "exists(abnormal_list where removed_on is null)"),
            ("tax.rating", "categorical", "latest(tax_ratings.rating)"),
            ("tax.missing", "numeric", "count(tax_filings where filed_on is null within 1y)"),
        ])
        let early = try dataset().evaluate(tags, asOf: "2023-06-30").values
        // The same data cut at 2023-06-30 by hand: later rows removed, later dates emptied.
        var d = MiniDataset()
        d.enterprise(2, established: "2010-01-15", capital: "50", type: "sole_proprietorship", region: "370203", industry: "C13")
        d.enterprise(3, established: "2000-05-05", status: "operating")
        let (e1, e2) = (MiniDataset.uscc(1), MiniDataset.uscc(2))
        _ = e1
        d.add("penalties", [e2, "c4", "2022-06-30", "confiscation", "general", "20000"])
        d.add("abnormal_list", [e2, "2021-07-01", "unreachable", "局", "2022-01-01"])
        d.add("tax_ratings", [e2, "2022", "B", "80", "2023-04-20"])
        let truncated = try d.evaluate(tags, asOf: "2023-06-30").values
        // Enterprise 1 was established in 2024, so it does not exist yet on 2023-06-30.
        #expect(early == truncated)
        #expect(early["p.count"] == ["1", "0"])
    }

    @Test func operatorsNullSemantics() throws {
        let (v, _) = try dataset().evaluate(
            tagFile([
                ("x.max", "numeric", "max(penalties.amount)"),
                ("cmp.null", "boolean", "x.max > 10"),
                ("cmp.not", "boolean", "not (x.max > 10)"),
                ("div.zero", "numeric", "count(penalties) / count(complaints)"),
                ("ratio.zero", "numeric", "ratio(count(penalties), count(complaints), -1)"),
                ("coalesce", "numeric", "coalesce(x.max, 0)"),
                ("band", "categorical", "band(reg.registered_capital, [100, 10000], ['s', 'm', 'l'])"),
                ("age", "numeric", "floor((asof - reg.established_on) / 365)"),
                ("city", "categorical", "city(reg.region)"),
                ("section", "categorical", "section(reg.industry)"),
                ("in.list", "boolean", "reg.entity_type in ['company', 'branch']"),
                ("is.null", "boolean", "x.max is null"),
            ]))
        #expect(v["cmp.null"] == ["true", "true", "false"])
        // A comparison with null is false, so its negation is true.
        #expect(v["cmp.not"] == ["false", "false", "true"])
        #expect(v["div.zero"] == ["null", "null", "null"])
        #expect(v["ratio.zero"] == ["-1", "-1", "-1"])
        #expect(v["coalesce"] == ["1000.5", "20000", "0"])
        #expect(v["band"] == ["l", "s", "m"])
        #expect(v["age"] == ["0", "14", "24"])
        #expect(v["city"] == ["3701", "3702", "3701"])
        #expect(v["section"] == ["F", "C", "F"])
        #expect(v["in.list"] == ["true", "false", "true"])
        #expect(v["is.null"] == ["false", "false", "true"])
    }

    @Test func sameValuesWhateverTheShardCount() throws {
        let tags = tagFile([
            ("p.count", "numeric", "count(penalties)"), ("tax.late", "numeric", "count(tax_filings where filed_on > due_on)"),
            ("r", "categorical", "latest(tax_ratings.rating)"),
        ])
        let one = try dataset().evaluate(tags, shards: 1).values
        let three = try dataset().evaluate(tags, shards: 3).values
        #expect(one == three)
    }

    /// Enterprises 1, 2, 4 share a legal representative; 1 is on the abnormal list; 3 and 5 are alone.
    @Test func peersCountOtherEnterprisesOfTheSameLegalRepresentative() throws {
        var d = MiniDataset()
        d.enterprise(1, rep: "P-shared")
        d.enterprise(2, rep: "P-shared")
        d.enterprise(3)
        d.enterprise(4, status: "revoked", statusOn: "2023-01-01", rep: "P-shared")
        d.enterprise(5)
        d.add("abnormal_list", [MiniDataset.uscc(1), "2024-07-01", "unreachable", "局", ""])
        let tags = """
            dimension: related
            tags:
              - {id: abn, name_zh: 异常, name_en: a, type: boolean, expr: exists(abnormal_list where removed_on is null)}
              - {id: revoked, name_zh: 吊销, name_en: r, type: boolean, expr: "reg.status == 'revoked'"}
              - {id: others, name_zh: 其他, name_en: o, type: numeric, expr: peers_count(true)}
              - {id: others.abn, name_zh: 其他异常, name_en: oa, type: numeric, expr: peers_count(abn)}
              - {id: others.bad, name_zh: 其他异常或吊销, name_en: ob, type: boolean, expr: peers_count(abn or revoked) >= 1}
            """
        for shards in [1, 2, 5] {
            let v = try d.evaluate(tags, shards: shards).values
            #expect(v["others"] == ["2", "2", "0", "2", "0"], "shards \(shards)")
            #expect(v["others.abn"] == ["0", "1", "0", "1", "0"], "shards \(shards)")
            #expect(v["others.bad"] == ["true", "true", "false", "true", "false"], "shards \(shards)")
        }
    }

    @Test func peersOfPeersAreRefused() {
        var d = MiniDataset()
        d.enterprise(1)
        let tags = """
            dimension: related
            tags:
              - {id: a, name_zh: 甲, name_en: a, type: numeric, expr: peers_count(true)}
              - {id: b, name_zh: 乙, name_en: b, type: numeric, expr: peers_count(a > 0)}
            """
        #expect(throws: (any Error).self) { _ = try d.evaluate(tags) }
    }

    /// Booleans are never empty: the latest value of a flag over no records is false (found by the DuckDB oracle).
    @Test func emptyBooleansAreFalse() throws {
        var d = MiniDataset()
        d.enterprise(1)
        d.enterprise(2)
        // annual_reports: uscc, report_year, filed_on, employees, revenue, tax_paid, info_published
        d.add("annual_reports", [MiniDataset.uscc(2), "2023", "2024-05-01", "3", "10", "1", "Y"])
        let v = try d.evaluate(
            tagFile([
                ("pub", "boolean", "latest(annual_reports.info_published)"),
                ("not_pub", "boolean", "not latest(annual_reports.info_published)"),
                ("either", "boolean", "latest(annual_reports.info_published) or false"),
            ])
        ).values
        #expect(v["pub"] == ["false", "true"])
        #expect(v["not_pub"] == ["true", "false"])
        #expect(v["either"] == ["false", "true"])
    }
}
