import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `meta.json` of a snapshot. Decoding tolerates missing keys.
struct SnapshotMeta: Codable, Equatable, Sendable {
    var schemaVersion: Int = 1
    var parent: String?
    var createdAt: String
    var note: String?
    var logicalBytes: UInt64
    var allocatedBytes: UInt64
    var strategy: CloneStrategy

    init(parent: String?, createdAt: String, note: String?, logicalBytes: UInt64, allocatedBytes: UInt64, strategy: CloneStrategy) {
        self.parent = parent
        self.createdAt = createdAt
        self.note = note
        self.logicalBytes = logicalBytes
        self.allocatedBytes = allocatedBytes
        self.strategy = strategy
    }

    private enum Keys: String, CodingKey { case schemaVersion, parent, createdAt, note, logicalBytes, allocatedBytes, strategy }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        parent = try c.decodeIfPresent(String.self, forKey: .parent)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        note = try c.decodeIfPresent(String.self, forKey: .note)
        logicalBytes = try c.decodeIfPresent(UInt64.self, forKey: .logicalBytes) ?? 0
        allocatedBytes = try c.decodeIfPresent(UInt64.self, forKey: .allocatedBytes) ?? 0
        strategy = try c.decodeIfPresent(CloneStrategy.self, forKey: .strategy) ?? .sparseCopy
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(parent, forKey: .parent)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(note, forKey: .note)
        try c.encode(logicalBytes, forKey: .logicalBytes)
        try c.encode(allocatedBytes, forKey: .allocatedBytes)
        try c.encode(strategy, forKey: .strategy)
    }
}

/// `snapshots/.current.json`: the snapshot the VM's present files descend from. Hidden, so no
/// snapshot name (which never starts with '.') can collide with it.
struct CurrentSnapshot: Codable, Equatable, Sendable {
    var parent: String?

    private enum Keys: String, CodingKey { case parent }
    init(parent: String?) { self.parent = parent }
    init(from decoder: Decoder) throws {
        parent = try decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .parent)
    }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(parent, forKey: .parent)
    }
}

/// The snapshot tree of bundles and VM clones, as file operations. Callers make sure the VM's
/// files hold still (stopped with its host lock taken, or paused); `SnapshotService` does that.
public enum SnapshotStore {
    /// The files that make up a VM's machine state, cloned into a snapshot and back.
    static let stateFiles = [VMBundle.diskFile, "efi-vars.fd", "aux.img", SavedState.stateFile, SavedState.recordFile]
    /// What a new VM gets from its source besides a fresh config.json. Not state.save: saved
    /// state needs the source's MAC and machine identifier, which a clone must not keep.
    static let cloneFiles = [VMBundle.diskFile, "efi-vars.fd", "aux.img"]
    static let metaFile = "meta.json"
    static let currentFile = ".current.json"
    static let busyFile = ".clone.lock"

    // MARK: Paths

    static func directory(_ bundle: VMBundle, _ name: String) throws -> URL {
        try VMName.validate(name)
        return bundle.snapshots.appendingPathComponent(name, isDirectory: true)
    }

    static func exists(_ bundle: VMBundle, _ name: String) throws -> Bool {
        let dir = try directory(bundle, name)
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue
    }

    static func existing(_ bundle: VMBundle, _ name: String) throws -> URL {
        let dir = try directory(bundle, name)
        guard try exists(bundle, name) else { throw HelperError.snapshotNotFound(vm: bundle.name, name: name) }
        return dir
    }

    static func names(_ bundle: VMBundle) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: bundle.snapshots.path)) ?? []
        return entries.filter { VMName.isValid($0) && (try? exists(bundle, $0)) == true }
    }

    // MARK: Reading

    static func readMeta(_ dir: URL) throws -> SnapshotMeta {
        let url = dir.appendingPathComponent(metaFile)
        guard let data = try? Data(contentsOf: url) else {
            throw HelperError.corruptConfig(path: url.path, reason: "the file cannot be read")
        }
        do { return try JSONCoding.decode(SnapshotMeta.self, from: data) } catch {
            throw HelperError.corruptConfig(path: url.path, reason: "it is not a valid snapshot description")
        }
    }

    static func writeMeta(_ meta: SnapshotMeta, _ dir: URL) throws {
        try FileOps.atomicWrite(try encode(meta), to: dir.appendingPathComponent(metaFile))
    }

    /// The recorded current snapshot, if it still exists.
    static func current(_ bundle: VMBundle) -> String? {
        let url = bundle.snapshots.appendingPathComponent(currentFile)
        guard let data = try? Data(contentsOf: url),
              let pointer = try? JSONCoding.decode(CurrentSnapshot.self, from: data),
              let name = pointer.parent, (try? exists(bundle, name)) == true else { return nil }
        return name
    }

    static func setCurrent(_ bundle: VMBundle, _ name: String?) throws {
        try FileOps.makeDirectory(bundle.snapshots)
        try FileOps.atomicWrite(try encode(CurrentSnapshot(parent: name)), to: bundle.snapshots.appendingPathComponent(currentFile))
    }

    /// Lengths and allocated blocks of the regular files directly in `dir`, hidden ones (temporaries,
    /// locks) and `skipping` left out.
    static func space(of dir: URL, skipping: Set<String> = []) -> SpaceUsage {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var total = SpaceUsage()
        for entry in entries where !entry.hasPrefix(".") && !skipping.contains(entry) {
            let url = dir.appendingPathComponent(entry)
            guard FileOps.isRegularFile(url.path) else { continue }
            total = total + SpaceUsage(logicalBytes: FileOps.logicalSize(url), allocatedBytes: FileOps.allocatedBytes(url))
        }
        return total
    }

    /// The tree: every readable snapshot (oldest first) with its children, the current one, and the space used.
    public static func list(_ bundle: VMBundle) -> SnapshotListResult {
        var metas: [(name: String, meta: SnapshotMeta, dir: URL)] = []
        var problems: [VMProblem] = []
        for name in names(bundle) {
            guard let dir = try? directory(bundle, name) else { continue }
            do { metas.append((name, try readMeta(dir), dir)) } catch {
                problems.append(VMProblem(name: name, message: (error as? HelperError)?.message ?? "\(error)"))
            }
        }
        metas.sort { ($0.meta.createdAt, $0.name) < ($1.meta.createdAt, $1.name) }
        let known = Set(metas.map(\.name))
        var snapshots: [SnapshotInfo] = []
        var all = SpaceUsage()
        for entry in metas {
            // A parent that is gone (only a hand-edited folder can do that) makes this a root.
            let parent = entry.meta.parent.flatMap { known.contains($0) ? $0 : nil }
            let children = metas.filter { $0.meta.parent == entry.name }.map(\.name)
            let used = space(of: entry.dir, skipping: [metaFile])
            all = all + used
            snapshots.append(SnapshotInfo(name: entry.name, parent: parent, children: children, createdAt: entry.meta.createdAt,
                                          note: entry.meta.note, logicalBytes: used.logicalBytes, allocatedBytes: used.allocatedBytes,
                                          strategy: entry.meta.strategy,
                                          savedState: FileOps.isRegularFile(entry.dir.appendingPathComponent("state.save").path)))
        }
        let current = current(bundle).flatMap { known.contains($0) ? $0 : nil }
        return SnapshotListResult(vm: bundle.name, snapshots: snapshots, current: current,
                                  vmSpace: space(of: bundle.url, skipping: ["snapshots"]), snapshotsSpace: all, problems: problems)
    }

    // MARK: Changes

    /// Clones the VM's config and machine-state files into `snapshots/<name>/` with its meta.json,
    /// through a hidden sibling and a rename. The new snapshot becomes the current one.
    public static func create(_ bundle: VMBundle, name: String, note: String?) throws -> SnapshotInfo {
        let dir = try directory(bundle, name)
        if try exists(bundle, name) { throw HelperError.alreadyExists(what: "snapshot of VM '\(bundle.name)'", name: name) }
        _ = try bundle.loadConfig()
        try requireDisk(bundle)
        let parent = current(bundle)
        var meta = SnapshotMeta(parent: parent, createdAt: VMEvent.format(Date()), note: note, logicalBytes: 0, allocatedBytes: 0,
                                strategy: .sparseCopy)
        try FileOps.makeDirectory(bundle.snapshots)
        let strategy = try CloneFile.cloneDirectory(files: [VMBundle.configFile] + stateFiles, from: bundle.url, to: dir,
                                                    tempPrefix: "creating", what: "snapshot of VM '\(bundle.name)'") { tmp, strategy in
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

    /// Clones a snapshot's files back over the VM's (each to a hidden temporary first; the renames
    /// come only when every copy is made). The VM keeps its MAC address and machine identifier.
    /// State files the snapshot does not have are removed (a saved state must never meet another disk).
    public static func restore(_ bundle: VMBundle, name: String) throws -> CloneStrategy {
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
                strategies.append(try CloneFile.clone(dir.appendingPathComponent(file), to: tmp).strategy)
                staged.append((tmp, bundle.url.appendingPathComponent(file)))
            }
            CloneFile.syncDirectory(bundle.url)
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

    /// A new VM `target` beside `source`: its disk and firmware files cloned, a new MAC address, no
    /// machine identifier (a backend that needs one makes a fresh one at first start; copying or
    /// inventing bytes would give two VMs one identity, or one the hypervisor cannot read), the
    /// hardware model kept. Built in a hidden `.cloning-…` sibling and renamed into place.
    public static func cloneVM(_ store: BundleStore, source: VMBundle, target: String) throws -> (VMBundle, VMConfig, CloneStrategy) {
        let targetBundle = try store.bundle(target)
        try targetBundle.checkSocketPaths()
        if try store.exists(target) { throw HelperError.alreadyExists(what: "VM", name: target) }
        var config = try source.loadConfig()
        try requireDisk(source)
        config.macAddress = MACAddress.randomLocallyAdministered()
        config.machineIdentifier = nil
        config.createdAt = VMEvent.format(Date())
        try VMService.giveCloneItsOwnPorts(&config, store: store)
        // A new instance for cloud-init: new host keys and machine-id (its seed is written at start).
        config.provision?.instanceId = ProvisionConfig.newInstanceId()
        let strategy = try CloneFile.cloneDirectory(files: cloneFiles, from: source.url, to: targetBundle.url,
                                                    tempPrefix: "cloning", what: "VM") { tmp, _ in
            try FileOps.atomicWrite(try config.encoded(), to: tmp.appendingPathComponent(VMBundle.configFile))
        }
        return (targetBundle, config, strategy)
    }

    // MARK: Leftovers

    /// Removes what a killed clone, snapshot or restore left: `.cloning-…` folders in vms/,
    /// `.creating-…`/`.deleting-…` folders in snapshots/, `.restoring-…` files in bundles.
    /// Those of live processes (other serve sessions at work) are kept.
    public static func cleanLeftovers(_ store: BundleStore) {
        func dead(_ entry: String) -> Bool {
            let parts = entry.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { return true }
            return pid == getpid() || !FileOps.isProcessAlive(pid)
        }
        let vms = (try? FileManager.default.contentsOfDirectory(atPath: store.vmsDirectory.path)) ?? []
        for entry in vms where entry.hasPrefix(".cloning-") && dead(entry) {
            try? FileOps.removeTree(store.vmsDirectory.appendingPathComponent(entry))
        }
        for name in store.names() {
            guard let bundle = try? store.bundle(name) else { continue }
            let inBundle = (try? FileManager.default.contentsOfDirectory(atPath: bundle.url.path)) ?? []
            for entry in inBundle where entry.hasPrefix(".restoring-") && dead(entry) {
                try? SafeFile.remove(bundle.url.appendingPathComponent(entry), .file)
            }
            let inSnapshots = (try? FileManager.default.contentsOfDirectory(atPath: bundle.snapshots.path)) ?? []
            for entry in inSnapshots where (entry.hasPrefix(".creating-") || entry.hasPrefix(".deleting-")) && dead(entry) {
                try? FileOps.removeTree(bundle.snapshots.appendingPathComponent(entry))
            }
        }
    }

    // MARK: Helpers

    private static func requireDisk(_ bundle: VMBundle) throws {
        guard FileOps.isRegularFile(bundle.disk.path) else {
            throw HelperError.io(path: bundle.disk.path, errno: ENOENT, action: "clone")
        }
    }

    private static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}

/// `vm/clone` and `snapshot/*` for a serve session: the VM's files are held still while they are
/// cloned (a stopped VM's host lock is taken so no host can start on them; a running VM is paused
/// through its host and resumed after), one clone or snapshot operation per VM at a time, and the
/// copying runs off the concurrency pool so other requests keep being answered.
public final class SnapshotService: @unchecked Sendable {
    let vms: VMService
    var store: BundleStore { vms.store }

    public init(vms: VMService) { self.vms = vms }

    public func clone(_ p: VMCloneParams) async throws -> VMCloneResult {
        try VMName.validate(p.source)
        try VMName.validate(p.target)
        let source = try store.existing(p.source)
        if try store.exists(p.target) { throw HelperError.alreadyExists(what: "VM", name: p.target) }
        let store = self.store
        let (made, paused) = try await holdingStill(source, action: "clone", allowRunning: true) {
            try SnapshotStore.cloneVM(store, source: source, target: p.target)
        }
        let (bundle, config, strategy) = made
        return VMCloneResult(vm: VMService.info(bundle, config, status: nil), strategy: strategy, pausedForClone: paused)
    }

    public func create(_ p: SnapshotCreateParams) async throws -> SnapshotInfo {
        let bundle = try store.existing(p.vm)
        try VMName.validate(p.name)
        if try SnapshotStore.exists(bundle, p.name) {
            throw HelperError.alreadyExists(what: "snapshot of VM '\(bundle.name)'", name: p.name)
        }
        return try await holdingStill(bundle, action: "snapshot", allowRunning: true) {
            try SnapshotStore.create(bundle, name: p.name, note: p.note)
        }.0
    }

    public func list(_ p: SnapshotListParams) throws -> SnapshotListResult {
        SnapshotStore.list(try store.existing(p.vm))
    }

    public func restore(_ p: SnapshotRefParams) async throws -> SnapshotRestoreResult {
        let bundle = try store.existing(p.vm)
        _ = try SnapshotStore.existing(bundle, p.name)
        let strategy = try await holdingStill(bundle, action: "restore a snapshot of", allowRunning: false) {
            try SnapshotStore.restore(bundle, name: p.name)
        }.0
        return SnapshotRestoreResult(vm: VMService.info(bundle, try bundle.loadConfig(), status: nil), current: p.name, strategy: strategy)
    }

    public func delete(_ p: SnapshotRefParams) async throws {
        let bundle = try store.existing(p.vm)
        _ = try SnapshotStore.existing(bundle, p.name)
        let busy = try BusyLock.take(bundle, action: "delete a snapshot of")
        // Locks stay out of the closures: the thread may free a closure after we resume, and a lock must be
        // given back before the answer goes out.
        defer { withExtendedLifetime(busy) {} }
        try await runOnOwnThread { try SnapshotStore.delete(bundle, name: p.name) }
    }

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
            _ = try await vms.pause(bundle.name)
            let outcome: Result<R, Error>
            do { outcome = .success(try await runOnOwnThread(body)) } catch { outcome = .failure(error) }
            do { _ = try await vms.resume(bundle.name) } catch {
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

extension Router {
    /// `vm/clone` and `snapshot/*` (PROTOCOL.md, "Snapshots and clones").
    public func registerSnapshotMethods(_ vms: VMService) {
        let service = SnapshotService(vms: vms)
        register(VMCloneRequest.self) { p, _ in try await service.clone(p) }
        register(SnapshotCreateRequest.self) { p, _ in try await service.create(p) }
        register(SnapshotListRequest.self) { p, _ in try service.list(p) }
        register(SnapshotRestoreRequest.self) { p, _ in try await service.restore(p) }
        register(SnapshotDeleteRequest.self) { p, _ in try await service.delete(p); return NullResult() }
    }
}
