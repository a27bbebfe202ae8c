import ArgumentParser

/// `--items`: the inspection item list tasks name their items from.
struct ItemListOption: ParsableArguments {
    @Option(help: "The inspection item list (default: items.csv beside the pipeline file).")
    var items: String?
}
