import Foundation

/// Runs blocking work (file I/O, waiting on a process or the network) on a thread of its own, so it
/// cannot starve the small cooperative pool (one thread per core) that every async task shares.
/// Not GCD: on Linux its queues add a thread only about once a second while all are blocked.
func runOnOwnThread<R>(name: String? = nil, _ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        if let name { thread.name = name }
        thread.start()
    }
}
