import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `snapshot/delete`: a snapshot removed, its children kept in the tree.
extension SnapshotStore {
    /// Deletes a snapshot; its children are re-parented to its parent first (so a killed delete
    /// leaves a whole tree), then its folder is renamed out of sight and removed.
    public static func delete(_ bundle: VMBundle, name: String) throws {
        let dir = try existing(bundle, name)
        let parent = (try? readMeta(dir))?.parent
        for child in names(bundle) where child != name {
            guard let childDir = try? directory(bundle, child), var meta = try? readMeta(childDir), meta.parent == name else { continue }
            meta.parent = parent
            try writeMeta(meta, childDir)
        }
        if current(bundle) == name { try setCurrent(bundle, parent) }
        let doomed = bundle.snapshots.appendingPathComponent(CloneFile.temporaryName("deleting", name))
        guard Posix.rename(dir.path, doomed.path) == 0 else { throw HelperError.fromErrno(errno, path: dir.path, action: "delete") }
        try FileOps.removeTree(doomed)
    }
}

extension SnapshotService {
    public func delete(_ p: SnapshotRefParams) async throws {
        let bundle = try store.existing(p.vm)
        _ = try SnapshotStore.existing(bundle, p.name)
        let busy = try BusyLock.take(bundle, action: "delete a snapshot of")
        // Locks stay out of the closures: the thread may free a closure after we resume, and a lock must be
        // given back before the answer goes out.
        defer { withExtendedLifetime(busy) {} }
        try await runOnOwnThread { try SnapshotStore.delete(bundle, name: p.name) }
    }
}
