import ArgumentParser
import Catalog
import DigiTagBase
import Engine
import Foundation

extension TagsCommand {
    /// `digitag tags sql`: the catalog as one DuckDB query over the input files.
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Print the tag catalog as one DuckDB or Spark SQL query over the input files.",
            discussion: """
                The query computes every tag of every enterprise as of --as-of from the same files `digitag run` \
                reads (<input>/market, tax and credit: .csv, .csv.zst and part files), with the same meaning: \
                records dated after the as-of date are ignored, other dates after it read as empty unless planned, \
                a comparison with an empty value is false, count and sum over no records are 0. Its result has the \
                columns of runs/<as-of>/tags.csv: uscc, then every tag id in catalog order, one row per enterprise \
                in USCC order; booleans are 1/0 and numbers are rounded to 4 decimals.

                File paths are written into the query as given to --input: run DuckDB from the same directory, or \
                pass an absolute --input. With the DuckDB command line:

                  digitag tags sql --as-of 2024-12-31 --out tags.sql
                  duckdb -csv -nullvalue '' -c ".read tags.sql" > tags.csv

                From any DuckDB client, take the query without its final ';' and keep it as a table or a file:

                  CREATE TABLE tags AS <query>;
                  COPY (<query>) TO 'tags.csv' (HEADER);

                --dialect spark writes the same query for Spark SQL 4.x: each source is read from a temporary view \
                named after it (registration, tax_filings, …), numbers come out in full precision (for \
                `digitag run --tags-from`), and it expects spark.sql.ansi.enabled=true and \
                spark.sql.ansi.doubleQuotedIdentifiers=true. `digitag spark-job` writes it with the job that sets all \
                this up (docs/spark.md).

                The query reads each source once and computes all of its aggregates in one GROUP BY, so it is a \
                fair benchmark peer of `digitag run`. It replays ingest validation first: every file is read as \
                text, and a row is used exactly when `digitag run` accepts it (field count, required fields, \
                types, codes, region and industry codes, the USCC check character, duplicate registrations, \
                records without a registration; records repeating a natural key: the first read is kept).

                --rejects writes the second query instead: the rows `digitag run` rejects, as source, file, line, \
                field and reason in the words of runs/<as-of>/rejects/<source>.csv, for every source of the \
                pipeline. docs/spark.md lists what the SQL cannot see (a quote left open on a one-line source, \
                a lone carriage return, bytes that are not UTF-8).
                """)

        @OptionGroup var pipeline: PipelineOption

        @Option(help: "Directory with the source files (market/, tax/, credit/), written into the query as given.")
        var input = "SampleData"

        @Option(name: .customLong("as-of"), help: "The date (YYYY-MM-DD) the tags are computed as of.")
        var asOf: Day

        @Option(help: "The SQL engine the query is written for: duckdb or spark (Spark SQL 4.x).")
        var dialect: SQLDialect = .duckdb

        @Flag(help: "Write the rejects query (every source's rejected rows with their reasons) instead of the tags query.")
        var rejects = false

        @Option(help: "Write the query to this file instead of standard output.")
        var out: String?

        func run() throws {
            try reportingFailures {
                let definition = try pipeline.load()
                let generator = SQLGenerator(catalog: definition.catalog, dialect: dialect)
                let sources = rejects ? definition.catalog.sources.sources : generator.sourcesRead
                var files: [String: [String]] = [:]
                for source in sources { files[source.name] = try SourceFiles.required(source, input: input) }
                let sql = (rejects ? generator.rejectsQuery(sources: sources, files: files) : generator.query(asOf: asOf, files: files)) + ";\n"
                if let out {
                    try FileSystem.writeAtomically(Data(sql.utf8), to: out)
                    printError(
                        rejects
                            ? "written: \(out) (the rejects of \(sources.count) sources)"
                            : "written: \(out) (\(definition.catalog.tags.count) tags as of \(asOf))")
                } else {
                    print(sql, terminator: "")
                }
            }
        }
    }
}
