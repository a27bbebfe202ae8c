import ArgumentParser
import Catalog
import DigiTagBase
import Foundation

/// `digitag spark-job`: the catalog as a Spark job directory, for `spark/digitag_tags.py`.
struct SparkJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark-job",
        abstract: "Write the tag catalog as a Spark job (SQL and job.json) for spark/digitag_tags.py.",
        discussion: """
            Writes into --out: tags.sql, the catalog as one Spark SQL 4.x query as of --as-of (`digitag tags sql \
            --dialect spark`), rejects.sql and ledger.sql (the rows ingest rejects, and rows read and rejected per \
            source, for the job's rejects/ and manifest), and job.json: the sources it reads with each column's type, the pipeline's hash, \
            the as-of date and the tag ids. Then, on the cluster:

              spark-submit spark/digitag_tags.py --job JOB --input DIR --out TAGS
              digitag run --as-of DATE --input DIR --tags-from TAGS

            The Spark job writes the tags of every enterprise as CSV parts (the columns of tags.csv) and a \
            manifest; `digitag run --tags-from` checks that they were computed with this pipeline and date, then \
            scores, publishes and reports as usual. docs/spark.md: cluster sizing, and when one machine is better.
            """)

    @OptionGroup var pipeline: PipelineOption

    @Option(name: .customLong("as-of"), help: "The date (YYYY-MM-DD) the tags are computed as of.")
    var asOf: Day

    @Option(help: "The job directory to write (created if missing; tags.sql and job.json replaced).")
    var out: String

    func run() throws {
        try reportingFailures {
            let definition = try pipeline.load()
            let generator = SQLGenerator(catalog: definition.catalog, dialect: .spark)
            let sql = generator.query(asOf: asOf, files: [:], validationAsViews: true) + ";\n"
            let read = generator.sourcesRead
            let rejectsSQL = generator.rejectsQuery(sources: read, files: [:], validationAsViews: true) + ";\n"
            let ledgerSQL = generator.ledgerQuery(sources: read, asOf: asOf, files: [:], validationAsViews: true) + ";\n"
            let sources: [[String: Any]] = generator.readSchemas.map { s in
                [
                    "name": s.source.name, "files": s.source.files, "parts": s.source.parts, "entity": s.source.isEntity,
                    "multiline": s.source.multiline, "encoding": s.source.encoding.rawValue, "event_date": s.source.eventDate,
                    "columns": s.columns.map { ["name": $0.name, "type": $0.type] }, "raw_columns": s.rawColumns,
                ]
            }
            let job: [String: Any] = [
                "format": "digitag-spark-job/1", "pipeline": definition.name, "pipeline_hash": definition.hash,
                "as_of": asOf.description, "tags": definition.catalog.tags.map(\.id), "sources": sources,
                "validation": generator.validationSteps(sources: read).map { ["name": $0.name, "sql": $0.sql] },
            ]
            let json = try JSONSerialization.data(withJSONObject: job, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try FileSystem.createDirectory(out)
            try FileSystem.writeAtomically(Data(sql.utf8), to: FileSystem.join(out, "tags.sql"))
            try FileSystem.writeAtomically(Data(rejectsSQL.utf8), to: FileSystem.join(out, "rejects.sql"))
            try FileSystem.writeAtomically(Data(ledgerSQL.utf8), to: FileSystem.join(out, "ledger.sql"))
            try FileSystem.writeAtomically(json + Data("\n".utf8), to: FileSystem.join(out, "job.json"))
            printError(
                "written: \(out)/tags.sql, rejects.sql, ledger.sql and job.json (\(definition.catalog.tags.count) tags as of \(asOf), "
                    + "\(sources.count) sources); next: spark-submit spark/digitag_tags.py --job \(out) --input DIR --out TAGS")
        }
    }
}
