import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The VM bundles under `$VMTUI_HOME/vms/<name>/`. Every change that must not be seen half-done
/// goes through a hidden temporary sibling (`.creating-…`, `.deleting-…`) and a rename.
public struct BundleStore: Sendable {
    public let home: URL

    public init(home: URL) { self.home = home }

    /// `$VMTUI_HOME`, or `~/.vmtui` when unset.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: VMTUIHome.path(environment: environment), isDirectory: true)
    }

    public var vmsDirectory: URL { home.appendingPathComponent("vms", isDirectory: true) }

    /// The bundle folder for a validated name; the only way a name becomes a path.
    public func bundle(_ name: String) throws -> VMBundle {
        try VMName.validate(name)
        return VMBundle(name: name, url: vmsDirectory.appendingPathComponent(name, isDirectory: true))
    }

    public func exists(_ name: String) throws -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: try bundle(name).url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// An existing bundle, or `notFound`.
    public func existing(_ name: String) throws -> VMBundle {
        let b = try bundle(name)
        guard try exists(name) else { throw HelperError.notFound(what: "VM", name: name) }
        return b
    }

    /// Names of all bundles, sorted; hidden temporaries and stray entries are skipped.
    public func names() -> [String] {
        // readdir's types: a folder costs no stat (vm/list and every look of serve's watcher list
        // this folder); a link, or a file system that does not say, is asked where it leads.
        let vms = vmsDirectory.path
        return (FileSystemCalls.entries(in: vms) ?? []).compactMap { entry -> String? in
            guard VMName.isValid(entry.name) else { return nil }
            if entry.type == UInt8(DT_DIR) { return entry.name }
            let unsure = entry.type == UInt8(DT_LNK) || entry.type == UInt8(DT_UNKNOWN)
            return unsure && FileOps.isDirectory(vms + "/" + entry.name) ? entry.name : nil
        }.sorted()
    }

    /// A listed bundle's paths as strings (`names()` checked the name), for calls made per VM on
    /// every look and list: joined, not parsed as URLs.
    public func paths(ofListed name: String) -> BundlePaths { BundlePaths(root: vmsDirectory.path + "/" + name) }

    /// Creates a bundle with its config and a sparse disk (or the one `makeDisk` writes at the
    /// URL it gets), all made in a temporary sibling first.
    public func create(name: String, config: VMConfig, makeDisk: ((URL) throws -> Void)? = nil,
                       extraFiles: (URL) throws -> Void = { _ in }) throws -> VMBundle {
        let target = try bundle(name)
        try target.checkSocketPaths()
        try FileOps.makeDirectory(home)
        try FileOps.makeDirectory(vmsDirectory)
        if try exists(name) { throw HelperError.alreadyExists(what: "VM", name: name) }
        let tmp = vmsDirectory.appendingPathComponent(".creating-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileOps.makeDirectory(tmp)
        do {
            try FileOps.atomicWrite(try config.encoded(), to: tmp.appendingPathComponent(VMBundle.configFile))
            let disk = tmp.appendingPathComponent(VMBundle.diskFile)
            if let makeDisk { try makeDisk(disk) } else { try FileOps.createSparse(at: disk, size: config.diskBytes) }
            try extraFiles(tmp)
            // rename(2) onto an existing non-empty folder fails, so a racing create cannot clobber.
            guard Posix.rename(tmp.path, target.url.path) == 0 else {
                let e = errno
                if e == ENOTEMPTY || e == EEXIST { throw HelperError.alreadyExists(what: "VM", name: name) }
                throw HelperError.fromErrno(e, path: target.url.path, action: "create")
            }
        } catch {
            try? FileOps.removeTree(tmp)
            throw error
        }
        return target
    }

    /// Deletes a bundle: first renamed out of sight, then removed, so a killed delete leaves nothing half-visible.
    public func delete(name: String) throws {
        let b = try existing(name)
        let doomed = vmsDirectory.appendingPathComponent(".deleting-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard Posix.rename(b.url.path, doomed.path) == 0 else { throw HelperError.fromErrno(errno, path: b.url.path, action: "delete") }
        try FileOps.removeTree(doomed)
    }

    public func rename(from old: String, to new: String) throws {
        let source = try existing(old)
        let target = try bundle(new)
        try target.checkSocketPaths()
        if try exists(new) { throw HelperError.alreadyExists(what: "VM", name: new) }
        guard Posix.rename(source.url.path, target.url.path) == 0 else {
            throw HelperError.fromErrno(errno, path: source.url.path, action: "rename")
        }
    }

    /// Removes temporaries left by a killed create or delete. Those of live processes are kept.
    public func cleanLeftovers() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: vmsDirectory.path)) ?? []
        for entry in entries where entry.hasPrefix(".creating-") || entry.hasPrefix(".deleting-") {
            let parts = entry.split(separator: "-")
            // ".creating-<name>-<pid>-<rand>": the pid is the second to last part.
            if parts.count >= 3, let pid = Int32(parts[parts.count - 2]), FileOps.isProcessAlive(pid), pid != getpid() { continue }
            try? FileOps.removeTree(vmsDirectory.appendingPathComponent(entry))
        }
    }
}

/// One VM's folder and the files inside it (ARCHITECTURE.md, "The VM bundle").
public struct VMBundle: Sendable, Equatable {
    public static let configFile = "config.json"
    public static let diskFile = "disk.img"
    public static let efiVarsFile = "efi-vars.fd"
    public static let lockFile = "host.lock"
    public static let controlSocketFile = "control.sock"
    public static let eventsFile = "events.jsonl"
    public static let snapshotsFolder = "snapshots"

    public let name: String
    public let url: URL

    public var config: URL { url.appendingPathComponent(Self.configFile) }
    public var disk: URL { url.appendingPathComponent(Self.diskFile) }
    public var efiVars: URL { url.appendingPathComponent(Self.efiVarsFile) }
    public var auxStorage: URL { url.appendingPathComponent("aux.img") }
    public var lock: URL { url.appendingPathComponent(Self.lockFile) }
    public var controlSocket: URL { url.appendingPathComponent(Self.controlSocketFile) }
    public var qmpSocket: URL { url.appendingPathComponent("qmp.sock") }
    public var consoleLog: URL { url.appendingPathComponent("console.log") }
    public var events: URL { url.appendingPathComponent(Self.eventsFile) }
    public var hostLog: URL { url.appendingPathComponent("host.log") }
    public var snapshots: URL { url.appendingPathComponent(Self.snapshotsFolder, isDirectory: true) }

    public func loadConfig() throws -> VMConfig { try VMConfig.load(from: config) }

    public func saveConfig(_ c: VMConfig) throws { try FileOps.atomicWrite(try c.encoded(), to: config) }
}
