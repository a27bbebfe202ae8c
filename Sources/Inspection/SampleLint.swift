import DigiTagBase
import Foundation
import RunModel
import Sampling

/// `digitag sample lint`: checks task files without a run — every key, the groups and the "never exempt"
/// policy, the items against the item list, and every expression (scope, group rules, weights) against the
/// pipeline's catalog.
public enum SampleLint {
    public struct Report: Sendable {
        public var file: String
        /// Nil when the file could not be read as a task at all.
        public var task: SamplingTask?
        public var problems: [Diagnostic]
    }

    /// The task files a pipeline ships: `tasks/*.yaml` beside the pipeline file, sorted.
    public static func shippedTasks(pipeline: String) -> [String] {
        let dir = FileSystem.join(FileSystem.directoryOf(pipeline), "tasks")
        return FileSystem.list(dir).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { FileSystem.join(dir, $0) }
    }

    /// Checks each file and reports every problem found in it.
    public static func check(files: [String], pipeline: String, items: String? = nil) throws -> [Report] {
        let definition = try PipelineDefinition.load(pipeline)
        let itemList = try ItemList.load(items ?? FileSystem.join(FileSystem.directoryOf(pipeline), "items.csv"))
        return files.map { file in
            let text: String
            do { text = try FileSystem.readText(file) } catch {
                return Report(file: file, task: nil, problems: [Diagnostic(SourceLocation(file: file), "cannot read the file: \(error)")])
            }
            let task: SamplingTask
            do throws(DiagnosticsError) { task = try SamplingTask.load(text: text, file: file) } catch {
                return Report(file: file, task: nil, problems: error.diagnostics)
            }
            var problems = titleProblems(task)
            do throws(DiagnosticsError) { _ = try itemList.resolve(task) } catch { problems += error.diagnostics }
            // The as-of date only sets how many days exclude_inspected_within_months spans: any date checks the expression.
            do throws(DiagnosticsError) {
                _ = try SampleScope.compile(task: task, definition: definition, asOf: Day(year: 2000, month: 1, day: 1)!)
            } catch {
                problems += error.diagnostics
            }
            return Report(file: file, task: task, problems: problems)
        }
    }

    /// Words a public title must not contain: each says why the enterprises beside it were drawn (a risk
    /// class, a suspicion, a list they are on) or that the draw was targeted. The public title is printed beside
    /// every company of notice.csv and results.csv, so "疑似空壳企业定向抽查" would label each of them.
    /// (税务, 信用 alone are not on the list: a joint tax inspection and 统一社会信用代码 are public facts.)
    public static let revealingWords = [
        "疑似", "风险", "高风险", "空壳", "异常", "失信", "违法", "违规", "黑名单", "严重", "重点", "定向", "欠税", "未申报", "未纳税",
        "零申报", "问题企业", "信用等级", "分类", "预警", "涉嫌",
    ]

    /// The public title's problems: a word of `revealingWords`, or a piece of a targeted group's label or id.
    ///
    /// A group's Chinese label reveals its criteria through any run of three or more of its characters
    /// (注册资本一千万元… → "注册资本"); its id through any part of three or more letters (`capital-no-tax` →
    /// "capital"). The rest group (everyone else) reveals nothing.
    public static func titleProblems(_ task: SamplingTask) -> [Diagnostic] {
        let title = task.publishedTitle
        let key = task.publicTitle == nil ? "name_zh" : "public_title"
        let location = task.titleLocation ?? task.location
        var found: [String] = []
        for w in revealingWords where title.contains(w) && !found.contains(where: { $0.contains(w) }) {
            found.removeAll { w.contains($0) }
            found.append(w)
        }
        for g in task.groups where !g.isRest {
            let chars = Array(g.nameZh)
            var shared: String?
            if chars.count >= 3 {
                outer: for length in stride(from: chars.count, through: 3, by: -1) {
                    for start in 0...(chars.count - length) {
                        let piece = String(chars[start..<(start + length)])
                        if title.contains(piece) {
                            shared = piece
                            break outer
                        }
                    }
                }
            }
            if let shared { found.append("\(shared) (from group '\(g.id)')") }
            for part in g.id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where part.count >= 3 {
                if title.lowercased().contains(part.lowercased()) { found.append("\(part) (from group '\(g.id)')") }
            }
        }
        guard !found.isEmpty else { return [] }
        let hint =
            task.publicTitle == nil
            ? "add a neutral public_title: (what notice.csv and results.csv show), e.g. 2025年度市场监管领域双随机一公开抽查（第二批）; name_zh then stays internal"
            : "use a neutral title such as 2025年度市场监管领域双随机一公开抽查（第二批）: the criteria stay in the internal files"
        return [
            Diagnostic(
                location,
                "the public title '\(title)' (\(key)) reveals why enterprises were drawn: \(found.joined(separator: ", ")); "
                    + "it is shown beside every company in notice.csv and results.csv",
                hint: hint)
        ]
    }
}
