import Engine
import Testing

/// Empty fields in aggregates, `ratio` with an empty whole, and the edges of a window, against values
/// worked out by hand from docs/tag-language.md (not by running the engine). As of 2024-12-31.
@Suite struct EmptyValueTests {
    /// Tax ratings where the latest or earliest record has no score (an M rating often has none).
    func ratings() -> MiniDataset {
        var d = MiniDataset()
        for i in 1...4 { d.enterprise(i) }
        let e = (1...4).map { MiniDataset.uscc($0) }
        // tax_ratings: uscc, rating_year, rating, score, published_on
        d.add("tax_ratings", [e[0], "2021", "B", "80", "2022-04-20"])
        d.add("tax_ratings", [e[0], "2022", "A", "92", "2023-04-20"])
        d.add("tax_ratings", [e[0], "2023", "M", "", "2024-04-20"])  // the latest: no score
        d.add("tax_ratings", [e[1], "2020", "M", "", "2021-04-20"])  // the earliest: no score
        d.add("tax_ratings", [e[1], "2021", "C", "55", "2022-04-20"])
        // One date, one without and one with a score: two years published together (the same year twice
        // on one date would be one rating delivered twice, and the second is left out: tax_ratings' key).
        d.add("tax_ratings", [e[2], "2022", "M", "", "2024-04-20"])
        d.add("tax_ratings", [e[2], "2023", "B", "70", "2024-04-20"])
        d.add("tax_ratings", [e[3], "2023", "D", "0", "2024-04-20"])
        return d
    }

    @Test func latestAndEarliestReadTheRecordNotTheLastValue() throws {
        let (v, _) = try ratings().evaluate(
            tagFile([
                ("s.latest", "numeric", "latest(tax_ratings.score)"),
                ("s.earliest", "numeric", "earliest(tax_ratings.score)"),
                ("s.latest_scored", "numeric", "latest(tax_ratings.score where score is not null)"),
                ("r.latest", "categorical", "latest(tax_ratings.rating)"),
                // The shipped tax.rating.downgraded: a comparison with an empty value is false.
                ("s.downgraded", "boolean", "max(tax_ratings.score within 3y) - latest(tax_ratings.score) > 20"),
            ]))
        // e1: latest record 2024-04-20 (M, no score); the old engine gave 92 from 2023-04-20.
        // e2: earliest record 2021-04-20 (M, no score); the old engine gave 55.
        // e3: two records on 2024-04-20: the one with a score wins the tie.
        #expect(v["s.latest"] == ["null", "55", "70", "0"])
        #expect(v["s.earliest"] == ["80", "null", "70", "0"])
        #expect(v["s.latest_scored"] == ["92", "55", "70", "0"])
        #expect(v["r.latest"] == ["M", "C", "M", "D"])
        // e1: 92 − empty is empty, so false (the old engine: 92 − 92 = 0 > 20, also false; e2: 80 is not within 3y).
        #expect(v["s.downgraded"] == ["false", "false", "false", "false"])
    }

    @Test func otherAggregatesSkipEmptyFields() throws {
        let (v, _) = try ratings().evaluate(
            tagFile([
                ("n.records", "numeric", "count(tax_ratings)"),
                ("n.scores", "numeric", "count(tax_ratings.score)"),
                ("any.score", "boolean", "exists(tax_ratings.score)"),
                ("s.sum", "numeric", "sum(tax_ratings.score)"),
                ("s.avg", "numeric", "avg(tax_ratings.score)"),
                ("s.min", "numeric", "min(tax_ratings.score)"),
                ("s.max", "numeric", "max(tax_ratings.score)"),
                ("s.distinct", "numeric", "distinct(tax_ratings.score)"),
                ("days", "numeric", "days_since(tax_ratings)"),
            ]))
        #expect(v["n.records"] == ["3", "2", "2", "1"])
        #expect(v["n.scores"] == ["2", "1", "1", "1"])
        #expect(v["any.score"] == ["true", "true", "true", "true"])
        #expect(v["s.sum"] == ["172", "55", "70", "0"])
        #expect(v["s.avg"] == ["86", "55", "70", "0"])
        #expect(v["s.min"] == ["80", "55", "70", "0"])
        #expect(v["s.max"] == ["92", "55", "70", "0"])
        #expect(v["s.distinct"] == ["2", "1", "1", "1"])
        // 2024-04-20 → 2024-12-31: 10 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 255 days (the empty score does not
        // matter: days_since reads the record's date). e2: 2022-04-20 → 2024-12-31 = 255 + 366 + 365 = 986.
        #expect(v["days"] == ["255", "986", "255", "255"])
    }

    @Test func ratioWithAnEmptyWholeIsEmpty() throws {
        let (v, _) = try ratings().evaluate(
            tagFile([
                ("q", "numeric", "ratio(1, latest(tax_ratings.score), 7)"),
                ("q.part", "numeric", "ratio(latest(tax_ratings.score), 2, 7)"),
            ]))
        // e1: whole empty → empty (was 7); e2: 1/55; e3: 1/70; e4: whole 0 → the fallback 7.
        #expect(v["q"] == ["null", String(1.0 / 55), String(1.0 / 70), "7"])
        #expect(v["q.part"] == ["null", "27.5", "35", "0"])
    }

    /// `within Nd` keeps `asof − N < date ≤ asof`; records after the as-of date do not exist yet.
    @Test func windowEdges() throws {
        var d = MiniDataset()
        d.enterprise(1)
        let e = MiniDataset.uscc(1)
        // 2024 is a leap year: 2024-12-31 − 365 days = 2024-01-01, which is outside `within 1y`.
        d.add("penalties", [e, "w1", "2024-01-01", "fine", "minor", "1"])
        d.add("penalties", [e, "w2", "2024-01-02", "fine", "minor", "10"])
        d.add("penalties", [e, "w3", "2024-12-31", "fine", "minor", "100"])
        d.add("penalties", [e, "w4", "2025-01-01", "fine", "minor", "1000"])
        d.add("penalties", [e, "w5", "2023-12-31", "fine", "minor", "10000"])
        let tags = tagFile([
            ("y1", "numeric", "sum(penalties.amount within 1y)"),
            ("d1", "numeric", "sum(penalties.amount within 1d)"),
            ("d366", "numeric", "sum(penalties.amount within 366d)"),
            ("all", "numeric", "sum(penalties.amount)"),
        ])
        let (v, _) = try d.evaluate(tags)
        #expect(v["y1"] == ["110"])
        #expect(v["d1"] == ["100"])
        #expect(v["d366"] == ["111"])
        #expect(v["all"] == ["10111"])
        // As of 2025-01-01 (not a leap year back to 2024-01-02): 2024-01-02 is the lower edge, excluded.
        let (w, _) = try d.evaluate(tags, asOf: "2025-01-01")
        #expect(w["y1"] == ["1100"])
        #expect(w["d1"] == ["1000"])
    }
}
