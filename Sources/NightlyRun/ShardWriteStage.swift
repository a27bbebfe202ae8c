import Dispatch

/// Writes evaluated shards on a thread of its own, in submission (= shard) order, so that the next wave
/// of shards is evaluated while this one is written instead of leaving cores idle.
///
/// At most one batch waits: `submit` first waits for the previous batch to be written, which bounds
/// memory to two waves of shards. `@unchecked Sendable` is safe: `write` and `failure` are used only on
/// the serial queue, and `failure` is read only after waiting for the queue's work to finish.
final class ShardWriteStage<Batch: Sendable>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "digitag.write")
    private let pending = DispatchGroup()
    private var failure: (any Error)?
    private let write: (Batch) throws -> Void

    init(write: @escaping (Batch) throws -> Void) { self.write = write }

    func submit(_ batch: Batch) throws {
        pending.wait()
        if let failure { throw failure }
        pending.enter()
        queue.async {
            do { try self.write(batch) } catch { self.failure = error }
            self.pending.leave()
        }
    }

    /// Waits for the last batch; throws the first write error.
    func finish() throws {
        pending.wait()
        if let failure { throw failure }
    }
}
