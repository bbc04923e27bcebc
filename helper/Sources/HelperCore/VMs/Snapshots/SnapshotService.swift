import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vm/clone` and `snapshot/*` for a serve session: the VM's files are held still while they are
/// cloned (a stopped VM's host lock is taken so no host can start on them; a running VM is paused
/// through its host and resumed after), one clone or snapshot operation per VM at a time, and the
/// copying runs off the concurrency pool so other requests keep being answered.
public final class SnapshotService: @unchecked Sendable {
    let vms: VMService
    var store: BundleStore { vms.store }

    public init(vms: VMService) { self.vms = vms }

    /// Runs `body` while the VM's files cannot change. Returns its result and whether the VM was
    /// paused for it (and resumed after).
    func holdingStill<R: Sendable>(_ bundle: VMBundle, action: String, allowRunning: Bool,
                                   _ body: @escaping @Sendable () throws -> R) async throws -> (R, Bool) {
        let busy = try BusyLock.take(bundle, action: action)
        defer { withExtendedLifetime(busy) {} }
        // Stopped: take the host lock, so a vm/start (from any session) fails instead of booting half-copied files.
        let hostLock: HostLock?
        do { hostLock = try HostLock.acquire(bundle.lock, name: bundle.name) } catch let error as HelperError {
            guard case .alreadyRunning = error else { throw error }
            hostLock = nil
        }
        if let hostLock {
            defer { withExtendedLifetime(hostLock) {} }
            return (try await runOnOwnThread(body), false)
        }
        guard allowRunning else { throw HelperError.invalidState(name: bundle.name, state: "running", action: action) }
        let state = try await vms.info(bundle.name).state
        switch state {
        case .paused:
            return (try await runOnOwnThread(body), false)
        case .running:
            // Pause and resume in tasks of their own: a cancelled request (the copy's cancel) would
            // otherwise cancel them too, and a VM paused for a cancelled copy must still be resumed.
            let vms = self.vms, name = bundle.name
            _ = try await Task { try await vms.pause(name) }.value
            let outcome: Result<R, Error>
            do { outcome = .success(try await runOnOwnThread(body)) } catch { outcome = .failure(error) }
            do { _ = try await Task { try await vms.resume(name) }.value } catch {
                let why = (error as? HelperError)?.message ?? "\(error)"
                if case .failure(let first) = outcome { throw first }
                throw HelperError.backend("The \(action == "clone" ? "clone" : "snapshot") of VM '\(bundle.name)' was made, "
                    + "but the VM could not be resumed afterwards (\(why)); it is paused: resume it.")
            }
            return (try outcome.get(), true)
        default:
            throw HelperError.invalidState(name: bundle.name, state: state.rawValue, action: action)
        }
    }
}

/// `<bundle>/.clone.lock`: one clone or snapshot operation per VM at a time, across sessions.
final class BusyLock: @unchecked Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    static func take(_ bundle: VMBundle, action: String) throws -> BusyLock {
        let url = bundle.url.appendingPathComponent(SnapshotStore.busyFile)
        let fd = try SafeFile.openForWriting(url, flags: O_RDWR)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw HelperError.invalidState(name: bundle.name, state: "busy with another clone or snapshot", action: action)
        }
        return BusyLock(fd: fd)
    }
}

extension SnapshotService: MethodService {
    /// `vm/clone` and `snapshot/*` (PROTOCOL.md, "Snapshots and clones").
    public func register(on router: Router) {
        router.register(VMCloneRequest.self) { p, context in
            try await copying(context, p.source, .clone, p.target) { try await self.clone(p, progress: $0) }
        }
        router.register(SnapshotCreateRequest.self) { p, context in
            try await copying(context, p.vm, .snapshot, p.name) { try await self.create(p, progress: $0) }
        }
        router.register(SnapshotListRequest.self) { p, _ in try self.list(p) }
        router.register(SnapshotRestoreRequest.self) { p, context in
            try await copying(context, p.vm, .restore, p.name) { try await self.restore(p, progress: $0) }
        }
        router.register(SnapshotDeleteRequest.self) { p, _ in try await self.delete(p); return NullResult() }
    }
}

/// Runs one copying request: its progress goes out as `copy/progress`, and `$/cancelRequest`
/// (which cancels this task) stops the copy between chunks.
private func copying<R>(_ context: RequestContext, _ vm: String, _ operation: CopyOperation, _ name: String,
                        _ body: (CopyProgress) async throws -> R) async throws -> R {
    let progress = CopyProgress(vm: vm, operation: operation, name: name) { context.connection.notify(CopyProgressNotification.self, $0) }
    return try await withTaskCancellationHandler { try await body(progress) } onCancel: { progress.cancel() }
}
