import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
@testable import Generator
import Testing


/// Every generated file keeps the contract of `Pipelines/sources.yaml`: its path, its header, and a
/// valid value of the declared type in every field of every row.
@Suite struct ContractTests {
    let contract: SourceContract
    let check: FieldCheck

    init() throws {
        contract = try SourceContract(path: Fixture.path("Pipelines/sources.yaml"))
        check = try FieldCheck()
    }

    @Test func everySourceHasItsFileWithTheContractHeader() throws {
        let sample = try Fixture.sample.get()
        #expect(contract.sources.count == OutputFile.allCases.count)
        for source in contract.sources {
            let path = SourceContract.generatedPath(source)
            #expect(sample.files.contains { $0.path == path }, "no generated file for source \(source.name)")
            let header = try sample.read(path).header
            #expect(header == source.fields.map(\.name), "\(path) header")
        }
    }

    @Test func generatorEnumsMatchTheContract() throws {
        let declared: [String: [String]] = [
            "registration.entity_type": EntityType.allCases.map(\.rawValue),
            "registration.status": RegistrationStatus.allCases.map(\.rawValue),
            "abnormal_list.reason": AbnormalReason.allCases.map(\.rawValue),
            "penalties.kind": PenaltyKind.allCases.map(\.rawValue),
            "penalties.severity": PenaltySeverity.allCases.map(\.rawValue),
            "inspections.item": InspectionItem.allCases.map(\.rawValue),
            "inspections.result": InspectionResultCode.allCases.map(\.rawValue),
            "licences.licence_type": LicenceType.allCases.map(\.rawValue),
            "complaints.category": ComplaintCategory.allCases.map(\.rawValue),
            "tax_ratings.rating": TaxRating.allCases.map(\.rawValue),
            "tax_filings.tax_type": TaxType.allCases.map(\.rawValue),
            "tax_arrears.tax_type": TaxType.allCases.map(\.rawValue),
            "tax_violations.kind": TaxViolationKind.allCases.map(\.rawValue),
            "credit_lists.list": CreditListKind.allCases.map(\.rawValue),
            "credit_lists.sector": CreditSector.allCases.map(\.rawValue),
            "commitments.kind": CommitmentKind.allCases.map(\.rawValue),
            "credit_repairs.record_kind": RepairedRecordKind.allCases.map(\.rawValue),
        ]
        var seen = 0
        for source in contract.sources {
            for field in source.fields where field.type == "enum" {
                let key = source.name + "." + field.name
                #expect(Set(declared[key] ?? []) == Set(field.values), "\(key)")
                seen += 1
            }
        }
        #expect(seen == declared.count)
    }

    @Test func everyValueHasItsDeclaredType() throws {
        let sample = try Fixture.sample.get()
        for source in contract.sources {
            let path = SourceContract.generatedPath(source)
            let (_, rows) = try sample.read(path)
            var problems: [String] = []
            for (r, row) in rows.enumerated() {
                if row.count != source.fields.count {
                    problems.append("row \(r + 2): \(row.count) fields")
                    continue
                }
                for (field, value) in zip(source.fields, row) {
                    if let why = check.problem(value, field) {
                        problems.append("row \(r + 2) \(field.name)='\(value)': \(why)")
                    }
                }
                if problems.count > 5 { break }
            }
            #expect(problems.isEmpty, "\(path): \(problems)")
        }
    }

    /// Every enum value of every field occurs at 2000 enterprises, rare ones included.
    @Test func everyEnumValueOccurs() throws {
        let sample = try Fixture.sample.get()
        for source in contract.sources {
            let path = SourceContract.generatedPath(source)
            for field in source.fields where field.type == "enum" {
                let seen = Set(try sample.column(path, field.name))
                let missing = field.values.filter { !seen.contains($0) }
                #expect(missing.isEmpty, "\(source.name).\(field.name) never takes \(missing)")
            }
            for field in source.fields where field.type == "flag" || field.optional {
                let values = Set(try sample.column(path, field.name))
                if field.type == "flag" { #expect(values == ["Y", "N"], "\(source.name).\(field.name)") }
                if field.optional { #expect(values.contains("") && values.count > 1, "\(source.name).\(field.name)") }
            }
        }
    }
}
