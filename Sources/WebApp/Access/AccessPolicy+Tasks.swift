import DataContract

/// The access rules of the inspection task pages, beside the others so that there is still one place to read
/// them: reading a task's sample needs `view_profiles` and covers the user's region only; drawing and
/// replacing need `draw_samples`; uploading results needs `import_results`.
extension AccessPolicy {
    /// Plan columns that tell an enterprise's risk class, directly or not: its class, its group (a targeted
    /// group's rule), its stratum (class × county), its ticket and inclusion probability (both reveal the class's ratio).
    public static let classRevealingPlanColumns: Set<String> = ["class", "group", "stratum", "ticket", "probability"]

    /// The plan's columns this role sees, as indices into `header`.
    public func visiblePlanColumns(_ header: [String]) -> [Int] {
        let seesClass = sees(tag: "class")
        return header.indices.filter { seesClass || !Self.classRevealingPlanColumns.contains(header[$0]) }
    }

    /// An enterprise of a sample (plan row, replacement, result) is the user's when its region is in scope; any
    /// other is treated as not drawn, so that the pages never reveal that it is.
    public func ownsSampleEnterprise(region: String?) -> Bool {
        guard let region else { return false }
        return inScope(region: region)
    }

    /// A verification's message as this user may read it: a message naming an enterprise outside the user's
    /// region (a USCC of 18 characters) is replaced by one that says only that such a difference exists.
    ///
    /// - Parameter regionOf: the region of a USCC (from the plan and the run), nil if unknown.
    public func visibleFinding(_ message: String, regionOf: (String) -> String?) -> String {
        guard Self.usccTokens(in: message).allSatisfy({ ownsSampleEnterprise(region: regionOf($0)) }) else {
            return Self.hiddenFinding
        }
        return message
    }

    static let hiddenFinding = "（涉及您范围以外的企业，已隐藏）a difference about an enterprise outside your area (hidden)"

    /// The 18-character runs of USCC symbols in a text that pass the check character.
    static func usccTokens(in text: String) -> [String] {
        var out: [String] = []
        var run: [UInt8] = []
        func flush() {
            if run.count == 18 {
                let s = String(decoding: run, as: UTF8.self)
                if USCC.isValid(s) { out.append(s) }
            }
            run.removeAll(keepingCapacity: true)
        }
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) { run.append(b) } else { flush() }
        }
        flush()
        return out
    }
}
