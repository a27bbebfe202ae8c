import Testing

@testable import Engine

/// Shards are balanced contiguous ranges, and `shard(of:)` — used for every record at ingest — is their
/// exact inverse.
struct ShardPlanTests {
    @Test(arguments: [1, 2, 7, 100, 1_000, 9_973], [1, 2, 3, 16, 256, 10_000])
    func shardOfIsTheInverseOfRange(enterprises: Int, shards: Int) {
        let plan = ShardPlan(enterprises: enterprises, count: shards)
        #expect(plan.count == min(shards, enterprises))
        var next = 0
        for k in 0..<plan.count {
            let r = plan.range(k)
            #expect(r.lowerBound == next, "ranges are contiguous")
            #expect(!r.isEmpty, "no empty shard")
            // Balanced: sizes differ by at most one.
            #expect(abs(r.count - enterprises / plan.count) <= 1)
            for o in r { #expect(plan.shard(of: o) == k) }
            next = r.upperBound
        }
        #expect(next == enterprises, "ranges cover every enterprise")
    }

    @Test func sizingFollowsItsOption() {
        #expect(ShardSizing.count(16).plan(enterprises: 1_000, inputBytesPerEnterprise: 0).count == 16)
        #expect(ShardSizing.enterprises(300).plan(enterprises: 1_000, inputBytesPerEnterprise: 0).count == 4)
        // 1026 tags and 6 kB of records per enterprise, 256 MiB for 2 × 2 shards: ~37 kB each, ~1,800 a shard.
        let byMemory = ShardSizing.memory(bytes: 256 << 20, tags: 1026, threads: 2)
            .plan(enterprises: 1_000_000, inputBytesPerEnterprise: 6_000)
        #expect((300...600).contains(byMemory.count), "\(byMemory.count)")
        // Twice the memory, about half the shards.
        let doubled = ShardSizing.memory(bytes: 512 << 20, tags: 1026, threads: 2)
            .plan(enterprises: 1_000_000, inputBytesPerEnterprise: 6_000)
        #expect(abs(doubled.count * 2 - byMemory.count) <= 2)
    }
}
