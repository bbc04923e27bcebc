import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `snapshot/create`: the VM's files cloned into a new snapshot.
extension SnapshotStore {
    /// Clones the VM's config and machine-state files into `snapshots/<name>/` with its meta.json,
    /// through a hidden sibling and a rename. The new snapshot becomes the current one.
    public static func create(_ bundle: VMBundle, name: String, note: String?, progress: CopyProgress? = nil) throws -> SnapshotInfo {
        let dir = try directory(bundle, name)
        if try exists(bundle, name) { throw HelperError.alreadyExists(what: "snapshot of VM '\(bundle.name)'", name: name) }
        _ = try bundle.loadConfig()
        try requireDisk(bundle)
        let parent = current(bundle)
        var meta = SnapshotMeta(parent: parent, createdAt: VMEvent.format(Date()), note: note, logicalBytes: 0, allocatedBytes: 0,
                                strategy: .sparseCopy)
        try FileOps.makeDirectory(bundle.snapshots)
        let strategy = try CloneFile.cloneDirectory(files: [VMBundle.configFile] + stateFiles, from: bundle.url, to: dir,
                                                    tempPrefix: "creating", what: "snapshot of VM '\(bundle.name)'",
                                                    progress: progress) { tmp, strategy in
            let used = space(of: tmp)
            meta.logicalBytes = used.logicalBytes
            meta.allocatedBytes = used.allocatedBytes
            meta.strategy = strategy
            try writeMeta(meta, tmp)
        }
        try setCurrent(bundle, name)
        return SnapshotInfo(name: name, parent: parent, children: [], createdAt: meta.createdAt, note: note,
                            logicalBytes: meta.logicalBytes, allocatedBytes: meta.allocatedBytes, strategy: strategy,
                            savedState: FileOps.isRegularFile(dir.appendingPathComponent("state.save").path))
    }
}

extension SnapshotService {
    public func create(_ p: SnapshotCreateParams, progress: CopyProgress? = nil) async throws -> SnapshotInfo {
        let bundle = try store.existing(p.vm)
        try VMName.validate(p.name)
        if try SnapshotStore.exists(bundle, p.name) {
            throw HelperError.alreadyExists(what: "snapshot of VM '\(bundle.name)'", name: p.name)
        }
        return try await holdingStill(bundle, action: "snapshot", allowRunning: true) {
            try SnapshotStore.create(bundle, name: p.name, note: p.note, progress: progress)
        }.0
    }
}
