import Foundation
import SystemCalls

/// What one look at a file tells: enough to notice it was replaced, grew or was touched. Inodes are
/// compared only within vms/, which rename(2) cannot leave, so no device is needed.
struct FileStamp: Equatable, Sendable {
    var size: Int64
    var inode: UInt64
    var mtime: [Int]

    /// lstat(2) of `path`; nil when there is nothing there. Never follows a symlink.
    static func of(_ path: String) -> FileStamp? {
        // [size, mtime seconds, mtime nanoseconds, inode]
        guard let s = FileSystemCalls.stamp(path), s.count == 4 else { return nil }
        return FileStamp(size: Int64(s[0]), inode: UInt64(bitPattern: Int64(s[3])), mtime: [s[1], s[2]])
    }

    func sameFile(as other: FileStamp) -> Bool { inode == other.inode }
}

/// The facts of one bundle the store watcher compares between looks.
struct BundleFacts: Equatable, Sendable {
    /// The bundle folder itself: a rename keeps it, a delete and re-create does not.
    var folder: FileStamp
    var config: FileStamp?
    /// The snapshots folder; its mtime moves when a snapshot is made, deleted or becomes current.
    var snapshots: FileStamp?
    var events: FileStamp?
    /// The pid holding host.lock (a host, or a helper cloning the stopped VM), nil when free.
    var lockHolder: Int32?
    var hasControlSocket: Bool
}

/// One change between two looks at the store.
enum StoreChange: Equatable, Sendable {
    case added(String)
    case removed(String)
    case renamed(from: String, to: String)
    /// config.json or the snapshots changed.
    case updated(String)
    case lockTaken(String, pid: Int32)
    case lockReleased(String, pid: Int32)
}

/// Looks at every bundle under `vms/` and tells what changed since the previous look.
enum StoreScan {
    static func look(_ store: BundleStore) -> [String: BundleFacts] {
        var out: [String: BundleFacts] = [:]
        for name in store.names() {
            let paths = store.paths(ofListed: name)
            guard let folder = FileStamp.of(paths.root) else { continue }
            var lockHolder: Int32?
            if case .held(let pid) = HostLock.probe(path: paths.lock) { lockHolder = pid }
            out[name] = BundleFacts(folder: folder, config: FileStamp.of(paths.config),
                                    snapshots: FileStamp.of(paths.snapshots), events: FileStamp.of(paths.events),
                                    lockHolder: lockHolder, hasControlSocket: FileStamp.of(paths.controlSocket) != nil)
        }
        return out
    }

    /// Changes from `old` to `new`, removals and renames first. A folder that vanished under one
    /// name and appeared under another is a rename; the lock of a renamed VM is compared under its new name.
    static func diff(_ old: [String: BundleFacts], _ new: [String: BundleFacts]) -> [StoreChange] {
        var changes: [StoreChange] = []
        let gone = old.keys.filter { new[$0] == nil }.sorted()
        var appeared = Set(new.keys.filter { old[$0] == nil })
        var previous: [String: BundleFacts] = [:]  // by name now
        for name in gone {
            let folder = old[name]!.folder
            if let to = appeared.sorted().first(where: { new[$0]!.folder.sameFile(as: folder) }) {
                appeared.remove(to)
                previous[to] = old[name]
                changes.append(.renamed(from: name, to: to))
            } else {
                if let pid = old[name]!.lockHolder { changes.append(.lockReleased(name, pid: pid)) }
                changes.append(.removed(name))
            }
        }
        for name in appeared.sorted() { changes.append(.added(name)) }
        for name in new.keys.sorted() {
            let now = new[name]!
            guard let before = previous[name] ?? old[name] else {
                if let pid = now.lockHolder { changes.append(.lockTaken(name, pid: pid)) }
                continue
            }
            if old[name] != nil, !before.folder.sameFile(as: now.folder) {
                // Deleted and made again between two looks: a new VM under the old name.
                if let pid = before.lockHolder { changes.append(.lockReleased(name, pid: pid)) }
                changes.append(.removed(name))
                changes.append(.added(name))
                if let pid = now.lockHolder { changes.append(.lockTaken(name, pid: pid)) }
                continue
            }
            if before.config != now.config || before.snapshots != now.snapshots { changes.append(.updated(name)) }
            if before.lockHolder != now.lockHolder {
                if let pid = before.lockHolder { changes.append(.lockReleased(name, pid: pid)) }
                if let pid = now.lockHolder { changes.append(.lockTaken(name, pid: pid)) }
            }
        }
        return changes
    }
}
