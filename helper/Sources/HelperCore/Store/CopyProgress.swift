import Foundation

/// Progress and cancel of one clone, snapshot or restore. The sparse copy calls `advance` after
/// each chunk it copies: that reports `copy/progress` (a few times a second at most) and throws
/// `cancelled` once `cancel()` was called (from any thread), so the copy stops between chunks and
/// its caller removes what it made. A copy-on-write clone never calls `advance`: it is instant.
public final class CopyProgress: @unchecked Sendable {
    public let vm: String
    public let operation: CopyOperation
    public let name: String
    private let report: @Sendable (CopyProgressParams) -> Void

    private let lock = NSLock()
    // Guarded by lock.
    private var cancelled = false
    private var total: UInt64 = 0
    private var done: UInt64 = 0
    private var rate = TransferRate()
    private var gate = ProgressGate()

    public init(vm: String, operation: CopyOperation, name: String, report: @escaping @Sendable (CopyProgressParams) -> Void = { _ in }) {
        self.vm = vm
        self.operation = operation
        self.name = name
        self.report = report
    }

    public func cancel() { lock.locked { cancelled = true } }

    public var isCancelled: Bool { lock.locked { cancelled } }

    /// Throws `cancelled` (naming what was stopped) once `cancel()` was called.
    public func check() throws {
        if isCancelled { throw HelperError.cancelled(what) }
    }

    /// Adds the data bytes of files about to be copied to the total.
    public func expect(_ bytes: UInt64) { lock.locked { total += bytes } }

    /// Counts `bytes` as copied and reports; throws `cancelled` when the copy should stop.
    public func advance(_ bytes: UInt64) throws {
        let now = ProcessInfo.processInfo.systemUptime
        let params: CopyProgressParams? = lock.locked {
            done += bytes
            // A file system without SEEK_DATA reads holes too: then the total grows with what was read.
            total = max(total, done)
            rate.record(bytes: done, at: now)
            guard !cancelled, gate.admit(.downloading, at: now) || done == total else { return nil }
            let perSecond = rate.bytesPerSecond(at: now).rounded()
            return CopyProgressParams(vm: vm, operation: operation, name: name, doneBytes: done, totalBytes: total,
                                      bytesPerSecond: perSecond, etaSeconds: TransferRate.eta(remaining: total - done, bytesPerSecond: perSecond))
        }
        if let params { report(params) }
        try check()
    }

    /// "Cloning VM 'a' to 'b'" and the like, for the `cancelled` sentence.
    var what: String {
        switch operation {
        case .clone: "Cloning VM '\(vm)' to '\(name)'"
        case .snapshot: "Making snapshot '\(name)' of VM '\(vm)'"
        case .restore: "Restoring VM '\(vm)' to snapshot '\(name)'"
        }
    }
}
