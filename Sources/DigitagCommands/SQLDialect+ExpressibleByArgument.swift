import ArgumentParser
import Catalog

/// `--dialect duckdb|spark`: the SQL engine `digitag tags sql` writes for.
extension SQLDialect: ExpressibleByArgument {}
