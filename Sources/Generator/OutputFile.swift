/// The files the generator writes: one per source of `Pipelines/sources.yaml`, with the contract's
/// path and column names in the contract's order.
enum OutputFile: Int, CaseIterable, Sendable {
    case enterprises, annualReports, abnormalList, penalties, inspections, licences, complaints
    case taxRatings, taxFilings, taxArrears, taxViolations
    case dishonestDebtors, creditLists, commitments, creditRepairs

    /// Path relative to the output directory. Tax filings are by far the largest file, hence zstd.
    var path: String {
        switch self {
        case .enterprises: return "market/enterprises.csv"
        case .annualReports: return "market/annual_reports.csv"
        case .abnormalList: return "market/abnormal_list.csv"
        case .penalties: return "market/penalties.csv"
        case .inspections: return "market/inspections.csv"
        case .licences: return "market/licences.csv"
        case .complaints: return "market/complaints.csv"
        case .taxRatings: return "tax/ratings.csv"
        case .taxFilings: return "tax/filings.csv.zst"
        case .taxArrears: return "tax/arrears.csv"
        case .taxViolations: return "tax/violations.csv"
        case .dishonestDebtors: return "credit/dishonest_debtors.csv"
        case .creditLists: return "credit/lists.csv"
        case .commitments: return "credit/commitments.csv"
        case .creditRepairs: return "credit/repairs.csv"
        }
    }

    var header: [String] {
        switch self {
        case .enterprises:
            return [
                "uscc", "name", "entity_type", "legal_rep", "legal_rep_id", "registered_capital", "established_on",
                "industry", "region", "address", "status", "status_on",
            ]
        case .annualReports:
            return ["uscc", "report_year", "filed_on", "employees", "revenue", "tax_paid", "info_published"]
        case .abnormalList: return ["uscc", "listed_on", "reason", "authority", "removed_on"]
        case .penalties: return ["uscc", "case_no", "decided_on", "kind", "severity", "amount"]
        case .inspections: return ["uscc", "inspected_on", "item", "random", "result"]
        case .licences: return ["uscc", "licence_type", "issued_on", "expires_on"]
        case .complaints: return ["uscc", "received_on", "category", "substantiated"]
        case .taxRatings: return ["uscc", "rating_year", "rating", "score", "published_on"]
        case .taxFilings: return ["uscc", "tax_type", "period", "due_on", "filed_on", "amount"]
        case .taxArrears: return ["uscc", "tax_type", "amount", "arose_on", "cleared_on"]
        case .taxViolations: return ["uscc", "decided_on", "kind", "amount"]
        case .dishonestDebtors: return ["uscc", "case_no", "court", "listed_on", "amount", "removed_on"]
        case .creditLists: return ["uscc", "list", "sector", "authority", "listed_on", "removed_on"]
        case .commitments: return ["uscc", "made_on", "kind", "breached_on"]
        case .creditRepairs: return ["uscc", "repaired_on", "record_kind"]
        }
    }

    /// Written by the filings worker; every other file by the history worker.
    var isFilings: Bool { self == .taxFilings }
}

/// The inspector directory (执法检查人员名录库) for the sampling stage: not a source of sources.yaml.
enum InspectorFile {
    static let path = "inspectors.csv"
    static let header = ["inspector_id", "name", "department", "region", "items", "max_load", "conflicts"]
}
