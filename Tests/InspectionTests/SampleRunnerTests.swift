import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import Inspection
import Query
import RunModel
import Sampling
import TestSupport
import Testing

@Suite(.serialized) struct SampleRunnerTests {
    @Test func defaultTaskWritesPlanNoticeAndAudit() throws {
        let out = TestPaths.temporaryDirectory("draw") + "/s"
        let s = try SampleRunner.run(SampleFixture.request(output: out))
        let d = s.draw
        #expect(d.task.id == "SD-2025-GEN-01")
        #expect(d.seedOrigin.contains("published_on"))
        #expect(d.result.selections.count == d.result.totalByRatio)
        #expect(d.result.selections.count > 10)

        let plan = try SampleFixture.rows(out + "/plan.csv")
        #expect(plan.header == SampleOutputs.planHeader)
        #expect(plan.rows.count == d.result.selections.count)
        for i in plan.rows.indices {
            let inspectors = plan.record(i)["inspectors"]!
            #expect(inspectors.hasPrefix("market="))
            #expect(inspectors.dropFirst(7).split(separator: "+").count == 2)
        }

        // The notice: public fields only, in USCC order, with a byte-order mark.
        let bytes = FileManager.default.contents(atPath: out + "/notice.csv")!
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let notice = try SampleFixture.rows(out + "/notice.csv")
        #expect(notice.header == ["任务编号", "任务名称", "统一社会信用代码", "企业名称", "抽查事项", "检查部门"])
        #expect(notice.rows.map { $0[2] } == notice.rows.map { $0[2] }.sorted())
        #expect(Set(notice.rows.map { $0[2] }) == Set(plan.column("uscc")))
        let text = String(decoding: bytes, as: UTF8.self)
        let secrets = Set(plan.column("stratum") + plan.column("ticket") + d.roster.inspectors.map(\.id))
        for secret in secrets { #expect(!text.contains(secret), "the notice reveals \(secret)") }
        for word in ["class", "score", "reason", "stratum", "ticket", "inspector", "等级", "分值"] { #expect(!text.contains(word)) }

        let audit = try SampleAudit.read(out + "/audit.json")
        #expect(audit.seed == "2025-01-15:b41f0c7e")
        #expect(!audit.seedFromCommandLine)
        #expect(audit.drawn == plan.rows.count)
        #expect(audit.strata.reduce(0) { $0 + $1.drawn } == audit.drawn)
        #expect(audit.classes.reduce(0) { $0 + $1.size } == audit.enterprisesInScope)
        #expect(audit.pipelineHash == SampleFixture.definition.hash)
        #expect(audit.run.storeSHA256 != nil, "the default task's scope reads tags")
        #expect(audit.run.tagsSHA256 == nil, "draws read the store, not tags.csv")
        #expect(audit.planSHA256 == (try sha256(out + "/plan.csv")))
        #expect(audit.rerun.contains("--task") && !audit.rerun.contains("--seed"))
    }

    @Test func sameSampleWhateverTheThreadsAndShards() throws {
        let a = try SampleRunner.draw(SampleFixture.request(threads: 1, shards: 1))
        let b = try SampleRunner.draw(SampleFixture.request(threads: 4, shards: 7))
        #expect(SampleOutputs.planRows(a) == SampleOutputs.planRows(b))
        #expect(SampleOutputs.noticeRows(a) == SampleOutputs.noticeRows(b))
    }

    @Test func scopeClausesSelectWhatTheySay() throws {
        let task = SampleFixture.task(
            """
            id: T-SCOPE
            seed: scope-test
            items: [annual_report]
            scope:
              regions: ["3702", "370102"]
              where: "class in ['C', 'D'] and score >= 0"
            strata: [class]
            ratios: {C: 50%, D: 50%}
            """)
        let d = try SampleRunner.draw(SampleFixture.request(task: task))
        #expect(!d.result.selections.isEmpty)
        for s in d.result.selections {
            #expect(["C", "D"].contains(s.candidate.riskClass))
            #expect(s.candidate.city == "3702" || s.candidate.region == "370102")
        }
    }

    @Test func recentlyInspectedEnterprisesAreExcluded() throws {
        let task = SampleFixture.task(
            """
            id: T-RECENT
            seed: recent
            items: [annual_report]
            exclude_inspected_within_months: 24
            strata: [class]
            ratios: {A: 5%, B: 5%, C: 5%, D: 5%}
            """)
        let d = try SampleRunner.draw(SampleFixture.request(task: task))
        let catalog = SampleFixture.definition.catalog
        let t = catalog.indexByID["inspection.days_since_last"]!
        var vocabulary = catalog.vocabulary
        let values = try RunTagColumns.read(run: SampleFixture.run, catalog: catalog, tags: [t], vocabulary: &vocabulary)
        let days = Dictionary(uniqueKeysWithValues: zip(values.usccs, values.columns[t]!.numbers))
        // 24 months before 2024-12-31 is 2022-12-31: 731 days.
        let drawn = Set(d.result.selections.map(\.candidate.uscc))
        let recent = Set(days.filter { !$0.value.isNaN && $0.value < 731 }.keys)
        #expect(!recent.isEmpty)
        #expect(recent.isDisjoint(with: drawn))
        #expect(d.enterprisesInScope == d.enterprisesInRun - recent.count)
    }

    @Test func anUnknownClassInRatiosIsAnError() throws {
        let task = SampleFixture.task(
            """
            id: T-CLASS
            seed: x
            items: [annual_report]
            strata: [class]
            ratios: {A: 5%, B: 5%, C: 5%, D: 5%, d: 5%}
            """)
        do {
            _ = try SampleRunner.draw(SampleFixture.request(task: task))
            Issue.record("expected an error")
        } catch let e as DiagnosticsError {
            #expect(e.description.contains("task.yaml:5:38: error: unknown class 'd' in ratios (did you mean 'D'?)"), "\(e.description)")
        }
    }

    @Test func scopeMayNotReadRegistrationFieldsOrUnknownTags() throws {
        let task = SampleFixture.task(
            """
            id: T-BAD
            seed: x
            items: [annual_report]
            scope:
              where: "reg.entity_type == 'company'"
              entity_types: [compnay]
            """)
        do {
            _ = try SampleRunner.draw(SampleFixture.request(task: task))
            Issue.record("expected an error")
        } catch let e as DiagnosticsError {
            let text = e.description
            #expect(text.contains("task.yaml:5:") && text.contains("reads registration fields"))
            #expect(text.contains("unknown value 'compnay'") && text.contains("did you mean 'company'?"))
        }
    }

    /// The store readers a draw and an explanation use give the values the run published in tags.csv
    /// (an independent file: written by the run from the evaluated columns, read here as text).
    @Test func storeTagReadersGiveTheValuesOfTheRunsTagsCSV() throws {
        let catalog = SampleFixture.definition.catalog
        let ids = [
            "basic.status.operating", "basic.entity_type", "inspection.days_since_last", "basic.age.years", "annual.latest_year",
            "tax.rating", "basic.capital.amount", "tax.filing.late_share.1y", "inspection.problem_rate",
        ]
        let wanted = Set(ids.compactMap { catalog.indexByID[$0] })
        #expect(wanted.count >= 8)
        var vocabulary = catalog.vocabulary
        let values = try RunTagColumns.read(run: SampleFixture.run, catalog: catalog, tags: wanted, vocabulary: &vocabulary)
        let tagsCSV = try SampleFixture.rows(SampleFixture.run + "/tags.csv")
        let header = tagsCSV.header
        #expect(tagsCSV.rows.map { $0[0] } == values.usccs, "the store's rows are tags.csv's, in the same order")
        for row in [0, 1, values.usccs.count / 3, values.usccs.count / 2, values.usccs.count - 1] {
            let uscc = values.usccs[row]
            let fields = tagsCSV.rows[row]
            let one = try #require(try StoreTagRow.read(run: SampleFixture.run, uscc: uscc, catalog: catalog))
            for t in wanted {
                let tag = catalog.tags[t]
                let published = fields[try #require(header.firstIndex(of: tag.id))]
                let column = values.columns[t]!
                let fromColumns: String
                switch column {
                case .numbers(let v): fromColumns = ValueFormat.value(.numbers([v[row]]), 0, type: tag.type, vocabulary: vocabulary)
                case .codes(let v): fromColumns = ValueFormat.value(.codes([v[row]]), 0, type: tag.type, vocabulary: vocabulary)
                }
                #expect(fromColumns == published, "\(uscc) \(tag.id): the draw reads '\(fromColumns)', tags.csv says '\(published)'")
                let fromRow = ValueFormat.value(one.columns[t], 0, type: tag.type, vocabulary: vocabulary)
                #expect(fromRow == published, "\(uscc) \(tag.id): explain reads '\(fromRow)', tags.csv says '\(published)'")
            }
        }
        #expect(try StoreTagRow.read(run: SampleFixture.run, uscc: "91370100MA3C000000", catalog: catalog) == nil)
    }

    @Test func aLinkLikeRunsCurrentIsRecordedAsTheRunItPointsTo() throws {
        let current = (SampleFixture.run as NSString).deletingLastPathComponent + "/current"
        let d = try SampleRunner.draw(SampleFixture.request(run: current))
        #expect(d.runDirectory == SampleFixture.run)
    }

    @Test func refusesARunMadeWithAnotherPipeline() throws {
        let run = SampleFixture.copyOfRun()
        let manifest = run + "/manifest.json"
        var text = TestPaths.read(manifest)
        text = text.replacingOccurrences(of: SampleFixture.definition.hash, with: String(repeating: "0", count: 64))
        TestPaths.write(text, to: run, "manifest.json")
        #expect {
            try SampleRunner.draw(SampleFixture.request(run: run))
        } throws: { e in
            "\(e)".contains("was made with a different pipeline")
        }
    }

    @Test func seedIsGivenOrRecordedNeverTheClock() throws {
        let noSeed = SampleFixture.task("id: T-NOSEED\nitems: [annual_report]\n")
        #expect {
            try SampleRunner.draw(SampleFixture.request(task: noSeed))
        } throws: { e in
            "\(e)".contains("no seed") && "\(e)".contains("never uses the clock")
        }
        let given = try SampleRunner.draw(SampleFixture.request(task: noSeed, seed: "given"))
        #expect(given.seed == "given" && given.seedFromCommandLine && !given.seedOverridesTask)
        let overridden = try SampleRunner.draw(SampleFixture.request(seed: "other"))
        #expect(overridden.seedOverridesTask && overridden.seedOrigin.contains("was not used"))
        let recorded = try SampleRunner.draw(SampleFixture.request())
        #expect(Set(overridden.result.selections.map(\.candidate.uscc)) != Set(recorded.result.selections.map(\.candidate.uscc)))
    }

    @Test func aClassWithoutARatioIsAConfigurationError() throws {
        let task = SampleFixture.task("id: T-RATIO\nseed: r\nitems: [annual_report]\nratios: {A: 1%, B: 3%, C: 10%}\n")
        #expect {
            try SampleRunner.draw(SampleFixture.request(task: task))
        } throws: { e in
            "\(e)".contains("class D but the task gives no ratio")
        }
    }

    @Test func impossibleAssignmentFailsNamingEnterprisesAndWritesNothing() throws {
        let dir = TestPaths.temporaryDirectory("one-inspector")
        let inspectors = TestPaths.write(
            "inspector_id,name,department,region,items,max_load,conflicts\nM1,独一,market,370102,annual_report,50,\n", to: dir,
            "inspectors.csv")
        let out = TestPaths.temporaryDirectory("impossible") + "/s"
        do {
            _ = try SampleRunner.run(SampleFixture.request(output: out, inspectors: inspectors))
            Issue.record("expected a failure")
        } catch let f as AssignmentFailure {
            #expect(!f.problems.isEmpty)
            #expect(f.problems.allSatisfy { $0.rule == .qualification && USCC.isValid($0.uscc) && $0.department == "market" })
            #expect(f.description.contains("needs 2 market inspectors, only 1 eligible"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theLastInspectorIsAvoided() throws {
        // First draw; then record its inspectors as each enterprise's last inspection and draw again.
        let first = try SampleRunner.draw(SampleFixture.request())
        var lines = ["uscc,inspected_on,inspector_id"]
        for (uscc, teams) in first.assignment.teams.sorted(by: { $0.key < $1.key }) {
            for id in teams.flatMap(\.inspectors) { lines.append("\(uscc),2024-11-01,\(id)") }
        }
        let dir = TestPaths.temporaryDirectory("history")
        let history = TestPaths.write(lines.joined(separator: "\n") + "\n", to: dir, "inspection_history.csv")
        let second = try SampleRunner.draw(SampleFixture.request(history: history))
        #expect(second.historyFile?.file == history)
        for (uscc, teams) in second.assignment.teams {
            let before = Set(first.assignment.teams[uscc]!.flatMap(\.inspectors))
            #expect(before.isDisjoint(with: teams.flatMap(\.inspectors)), "\(uscc) got its last inspector again")
        }
    }

    func sha256(_ path: String) throws -> String { try ProcessRunner.sha256sum(file: path) }
}

@Suite(.serialized) struct SampleVerifyTests {
    @Test func verifyIsIdenticalThenCatchesEveryTampering() throws {
        let out = TestPaths.temporaryDirectory("verify") + "/s"
        _ = try SampleRunner.run(SampleFixture.request(output: out))
        #expect(try SampleVerifier.verify(directory: out).identical)

        // Tamper with the plan: another inspector, and a row removed from the notice.
        let plan = TestPaths.read(out + "/plan.csv")
        let table = try SampleFixture.rows(out + "/plan.csv")
        let victim = table.record(0)["uscc"]!
        let inspectors = table.record(0)["inspectors"]!
        TestPaths.write(plan.replacingOccurrences(of: inspectors, with: "market=M000000001+M000000002"), to: out, "plan.csv")
        var notice = TestPaths.read(out + "/notice.csv").split(separator: "\n", omittingEmptySubsequences: false)
        let removed = notice.remove(at: 2)
        TestPaths.write(notice.joined(separator: "\n"), to: out, "notice.csv")
        let v = try SampleVerifier.verify(directory: out)
        #expect(!v.identical)
        #expect(v.changedInputs.isEmpty)
        #expect(v.differences.contains { $0.contains("plan.csv: \(victim) inspectors") })
        let removedUSCC = removed.split(separator: ",")[2]
        #expect(v.differences.contains { $0.contains("notice.csv: \(removedUSCC) was drawn but is not in the file") })
    }

    @Test func verifyFailsWhenTheRunOrPolicyChanged() throws {
        let run = SampleFixture.copyOfRun()
        let dir = TestPaths.temporaryDirectory("policy")
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData/inspectors.csv"), toPath: dir + "/inspectors.csv")
        let out = TestPaths.temporaryDirectory("verify2") + "/s"
        _ = try SampleRunner.run(SampleFixture.request(output: out, inspectors: dir + "/inspectors.csv", run: run))
        #expect(try SampleVerifier.verify(directory: out).identical)

        // One inspector's workload cap changes, and one enterprise's class changes in the run.
        let roster = TestPaths.read(dir + "/inspectors.csv").split(separator: "\n").map(String.init)
        var edited = roster
        var fields = edited[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[5] = "1"
        edited[1] = fields.joined(separator: ",")
        TestPaths.write(edited.joined(separator: "\n") + "\n", to: dir, "inspectors.csv")
        let classes = TestPaths.read(run + "/classes.csv")
        TestPaths.write(classes.replacingOccurrences(of: ",A,", with: ",D,"), to: run, "classes.csv")
        let v = try SampleVerifier.verify(directory: out)
        #expect(!v.identical)
        #expect(v.changedInputs.contains { $0.contains("inspector directory") })
        #expect(v.changedInputs.contains { $0.contains("run classes") })
        #expect(!v.differences.isEmpty, "a different class list must draw differently")
    }
}
