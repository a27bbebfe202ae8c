/// The enum values of `Pipelines/sources.yaml`, as Swift enums so that a misspelt code cannot reach a file.
///
/// The raw values are the contract's codes exactly; `GeneratorTests` checks every one of them against
/// the YAML and checks that each appears in generated data.

enum EntityType: String, CaseIterable, Sendable {
    case company, partnership, branch
    case soleProprietorship = "sole_proprietorship"
    case individualBusiness = "individual_business"
}

enum RegistrationStatus: String, CaseIterable, Sendable {
    case operating, revoked, cancelled
}

enum AbnormalReason: String, CaseIterable, Sendable {
    case annualReport = "annual_report"
    case infoNotPublished = "info_not_published"
    case falseInfo = "false_info"
    case unreachable
}

enum PenaltyKind: String, CaseIterable, Sendable {
    case warning, fine, confiscation, suspension
    case licenceRevocation = "licence_revocation"
}

enum PenaltySeverity: String, CaseIterable, Sendable {
    case minor, general, serious
}

enum InspectionItem: String, CaseIterable, Sendable {
    case licence, pricing, advertising, trademark
    case annualReport = "annual_report"
    case foodSafety = "food_safety"
    case productQuality = "product_quality"
    case specialEquipment = "special_equipment"
}

enum LicenceType: String, CaseIterable, Sendable {
    case foodBusiness = "food_business"
    case foodProduction = "food_production"
    case drugRetail = "drug_retail"
    case medicalDevice = "medical_device"
    case industrialProduct = "industrial_product"
    case specialEquipment = "special_equipment"
    case hazardousChemicals = "hazardous_chemicals"
}

enum ComplaintCategory: String, CaseIterable, Sendable {
    case quality, price, contract, advertising, service
    case foodSafety = "food_safety"
}

enum TaxRating: String, CaseIterable, Sendable {
    case a = "A"
    case b = "B"
    case m = "M"
    case c = "C"
    case d = "D"
}

enum TaxType: String, CaseIterable, Sendable {
    case vat, cit, iit, stamp, property
    case urbanMaintenance = "urban_maintenance"
}

enum TaxViolationKind: String, CaseIterable, Sendable {
    case evasion, obstruction
    case invoiceFraud = "invoice_fraud"
    case falseDeclaration = "false_declaration"
    case latePayment = "late_payment"
}

enum CreditListKind: String, CaseIterable, Sendable {
    case black, red
    case seriousDishonest = "serious_dishonest"
}

enum CreditSector: String, CaseIterable, Sendable {
    case market, tax, customs, environment, safety, finance, labour, transport
}

enum CommitmentKind: String, CaseIterable, Sendable {
    case licensing, subsidy, repair, other
}

enum RepairedRecordKind: String, CaseIterable, Sendable {
    case penalty, black
    case abnormalList = "abnormal_list"
    case seriousDishonest = "serious_dishonest"
}
