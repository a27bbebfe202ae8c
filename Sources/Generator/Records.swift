import DataContract
import DigiTagBase
import DigiTagIO

/// One enterprise's records of every source except tax filings, held only while the enterprise is
/// being generated (sources refer to one another: a late report leads to a listing, a listing to a
/// repair). Arrays are reused from one enterprise to the next.
struct EnterpriseHistory {
    struct AnnualReport {
        var year: Int
        var filedOn: Day
        var employees: Int
        /// Hundredths of 万元.
        var revenue: Int64
        var taxPaid: Int64
        var infoPublished: Bool
    }

    struct AbnormalEntry {
        var listedOn: Day
        var reason: AbnormalReason
        var removedOn: Day?
    }

    struct Penalty {
        var caseNumber: String
        var decidedOn: Day
        var kind: PenaltyKind
        var severity: PenaltySeverity
        /// Hundredths of a yuan.
        var amount: Int64
    }

    struct Inspection {
        var on: Day
        var item: InspectionItem
        var random: Bool
        var result: InspectionResultCode
    }

    struct Licence {
        var type: LicenceType
        var issuedOn: Day
        var expiresOn: Day
    }

    struct Complaint {
        var receivedOn: Day
        var category: ComplaintCategory
        var substantiated: Bool
    }

    struct Rating {
        var year: Int
        var rating: TaxRating
        var score: Int?
        var publishedOn: Day
    }

    struct Arrear {
        var taxType: TaxType
        var amount: Int64
        var aroseOn: Day
        var clearedOn: Day?
    }

    struct TaxViolation {
        var decidedOn: Day
        var kind: TaxViolationKind
        var amount: Int64
    }

    struct DishonestDebtor {
        var caseNumber: String
        var court: String
        var listedOn: Day
        var amount: Int64
        var removedOn: Day?
    }

    struct CreditListEntry {
        var list: CreditListKind
        var sector: CreditSector
        var authority: String
        var listedOn: Day
        var removedOn: Day?
    }

    struct Commitment {
        var madeOn: Day
        var kind: CommitmentKind
        var breachedOn: Day?
    }

    struct Repair {
        var repairedOn: Day
        var kind: RepairedRecordKind
    }

    var annualReports: [AnnualReport] = []
    var abnormal: [AbnormalEntry] = []
    var penalties: [Penalty] = []
    var inspections: [Inspection] = []
    var licences: [Licence] = []
    var complaints: [Complaint] = []
    var ratings: [Rating] = []
    var arrears: [Arrear] = []
    var violations: [TaxViolation] = []
    var debtors: [DishonestDebtor] = []
    var lists: [CreditListEntry] = []
    var commitments: [Commitment] = []
    var repairs: [Repair] = []
    /// Reporting years whose report was never filed although the enterprise kept operating (not written:
    /// a missing report has no row; the abnormal list records it).
    var missedReportYears: [Int] = []

    mutating func reset() {
        annualReports.removeAll(keepingCapacity: true)
        abnormal.removeAll(keepingCapacity: true)
        penalties.removeAll(keepingCapacity: true)
        inspections.removeAll(keepingCapacity: true)
        licences.removeAll(keepingCapacity: true)
        complaints.removeAll(keepingCapacity: true)
        ratings.removeAll(keepingCapacity: true)
        arrears.removeAll(keepingCapacity: true)
        violations.removeAll(keepingCapacity: true)
        debtors.removeAll(keepingCapacity: true)
        lists.removeAll(keepingCapacity: true)
        commitments.removeAll(keepingCapacity: true)
        repairs.removeAll(keepingCapacity: true)
        missedReportYears.removeAll(keepingCapacity: true)
    }
}
