@testable import Query

/// A hand-made profile with the personal fields a future store will carry (the store has none of them yet).
enum EnterpriseProfileSample {
    static func make() -> EnterpriseProfile {
        EnterpriseProfile(
            run: "runs/2024-12-31", asOf: "2024-12-31", uscc: "91370502REMJE363R9", name: "东营兴隆制造有限责任公司",
            facts: [
                .init(key: "legal_rep", label: "法定代表人 legal representative", value: "袁兰"),
                .init(key: "legal_rep_id", label: "证件号 ID", value: "P9701681514"),
            ], riskClass: "A", classNameZh: "低风险", score: "10", reasons: "", reasonsZh: "", tags: [])
    }
}
