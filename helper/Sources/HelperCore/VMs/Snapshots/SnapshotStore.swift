import Foundation
import SystemCalls
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
        // Names by readdir, URLs only for what is removed: serve does this for every VM as it starts.
        func names(in path: String) -> [String] { FileSystemCalls.entries(in: path)?.map(\.name) ?? [] }
        for entry in names(in: store.vmsDirectory.path) where entry.hasPrefix(".cloning-") && dead(entry) {
            try? FileOps.removeTree(store.vmsDirectory.appendingPathComponent(entry))
        }
        for name in store.names() {
            let files = store.paths(ofListed: name)
            for entry in names(in: files.root) where entry.hasPrefix(".restoring-") && dead(entry) {
                guard let bundle = try? store.bundle(name) else { continue }
                try? SafeFile.remove(bundle.url.appendingPathComponent(entry), .file)
            }
            for entry in names(in: files.snapshots) where (entry.hasPrefix(".creating-") || entry.hasPrefix(".deleting-")) && dead(entry) {
                guard let bundle = try? store.bundle(name) else { continue }
                try? FileOps.removeTree(bundle.snapshots.appendingPathComponent(entry))
            }
        }
    }

    // MARK: Helpers

    static func requireDisk(_ bundle: VMBundle) throws {
        guard FileOps.isRegularFile(bundle.disk.path) else {
            throw HelperError.io(path: bundle.disk.path, errno: ENOENT, action: "clone")
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}
