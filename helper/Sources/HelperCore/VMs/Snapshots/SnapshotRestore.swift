import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `snapshot/restore`: a snapshot's files cloned back over the stopped VM's.
extension SnapshotStore {
    /// Clones a snapshot's files back over the VM's (each to a hidden temporary first; the renames
    /// come only when every copy is made). The VM keeps its MAC address and machine identifier.
    /// State files the snapshot does not have are removed (a saved state must never meet another disk).
    public static func restore(_ bundle: VMBundle, name: String, progress: CopyProgress? = nil) throws -> CloneStrategy {
        let dir = try existing(bundle, name)
        _ = try readMeta(dir)
        var config = try VMConfig.load(from: dir.appendingPathComponent(VMBundle.configFile))
        if let live = try? bundle.loadConfig() {
            config.macAddress = live.macAddress
            config.machineIdentifier = live.machineIdentifier
            config.createdAt = live.createdAt
            // Ports are the VM's, not the snapshot's: they stay what the VM has now.
            config.sshPort = live.sshPort
            config.forwards = live.forwards
        }
        guard FileOps.isRegularFile(dir.appendingPathComponent(VMBundle.diskFile).path) else {
            throw HelperError.io(path: dir.appendingPathComponent(VMBundle.diskFile).path, errno: ENOENT, action: "restore from")
        }
        var staged: [(tmp: URL, final: URL)] = []
        var strategies: [CloneStrategy] = []
        do {
            for file in stateFiles where FileOps.isRegularFile(dir.appendingPathComponent(file).path) {
                let tmp = bundle.url.appendingPathComponent(CloneFile.temporaryName("restoring", file))
                try progress?.check()
                strategies.append(try CloneFile.clone(dir.appendingPathComponent(file), to: tmp, progress: progress).strategy)
                staged.append((tmp, bundle.url.appendingPathComponent(file)))
            }
            CloneFile.syncDirectory(bundle.url)
            try progress?.check()
        } catch {
            for s in staged { try? SafeFile.remove(s.tmp, .file) }
            if case .diskFull = error as? HelperError { throw HelperError.diskFull(path: bundle.url.path) }
            throw error
        }
        // Everything is copied; the swap is a handful of renames.
        for (index, s) in staged.enumerated() {
            do { try SafeFile.replace(s.final, with: s.tmp) } catch {
                for rest in staged[index...] { try? SafeFile.remove(rest.tmp, .file) }
                throw error
            }
        }
        for file in stateFiles where !FileOps.isRegularFile(dir.appendingPathComponent(file).path) {
            let url = bundle.url.appendingPathComponent(file)
            try SafeFile.remove(url, .file)
        }
        try bundle.saveConfig(config)
        CloneFile.syncDirectory(bundle.url)
        try setCurrent(bundle, name)
        return CloneStrategy.weakest(strategies) ?? .sparseCopy
    }
}

extension SnapshotService {
    public func restore(_ p: SnapshotRefParams, progress: CopyProgress? = nil) async throws -> SnapshotRestoreResult {
        let bundle = try store.existing(p.vm)
        _ = try SnapshotStore.existing(bundle, p.name)
        let strategy = try await holdingStill(bundle, action: "restore a snapshot of", allowRunning: false) {
            try SnapshotStore.restore(bundle, name: p.name, progress: progress)
        }.0
        return SnapshotRestoreResult(vm: VMService.info(bundle, try bundle.loadConfig(), status: nil), current: p.name, strategy: strategy)
    }
}
