import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each bundle's parsed config.json and newest event, kept while its file is the same (inode, size,
/// mtime), so vm/list costs a stat per file instead of decoding JSON for every VM on every call.
/// A parse memo only: what the files say is read from them whenever they change.
final class ListMemo: @unchecked Sendable {
    private struct Version: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int64, nanoseconds: Int64

        /// lstat(2): never follows a symlink; nil when nothing is there.
        static func of(_ path: String) -> Version? {
            FileSystemCalls.version(path).map {
                Version(device: $0.device, inode: $0.inode, size: $0.size, seconds: $0.seconds, nanoseconds: $0.nanoseconds)
            }
        }
    }

    /// A bundle and the paths vm/list reads, built once per name instead of as URLs on every call.
    struct Paths {
        let bundle: VMBundle
        let files: BundlePaths
        init(_ bundle: VMBundle) {
            self.bundle = bundle
            files = BundlePaths(bundle)
        }
    }

    private let lock = NSLock()
    private var paths: [String: Paths] = [:]
    private var configs: [String: (Version, VMConfig)] = [:]
    private var events: [String: (Version?, VMEvent?)] = [:]
    private var infos: [String: ([Version?], VMInfo)] = [:]
    private var encoded: [String: (VMInfo, JSONValue)] = [:]
    private var keptNames: Set<String> = []

    /// `name`'s bundle and paths in `store` (the name is checked; the bundle need not exist).
    func paths(_ name: String, in store: BundleStore) throws -> Paths {
        if let kept = lock.locked({ paths[name] }) { return kept }
        let made = Paths(try store.bundle(name))
        lock.locked { paths[name] = made }
        return made
    }

    /// The bundle's config; a file that does not decode throws as VMConfig.load does, every time.
    func config(_ bundle: VMBundle) throws -> VMConfig { try config(Paths(bundle)) }

    func config(_ paths: Paths) throws -> VMConfig {
        let files = paths.files
        guard let now = Version.of(files.config) else { return try VMConfig.load(path: files.config) }
        if let kept = lock.locked({ configs[files.root] }), kept.0 == now { return kept.1 }
        let config = try VMConfig.load(path: files.config)
        lock.locked { configs[files.root] = (now, config) }
        return config
    }

    /// The newest event of events.jsonl, nil when there is none.
    func lastEvent(_ bundle: VMBundle) -> VMEvent? { lastEvent(Paths(bundle)) }

    func lastEvent(_ paths: Paths) -> VMEvent? {
        let files = paths.files
        let now = Version.of(files.events)
        if let kept = lock.locked({ events[files.root] }), kept.0 == now { return kept.1 }
        let last = now == nil ? nil : EventLog(url: paths.bundle.events).last
        lock.locked { events[files.root] = (now, last) }
        return last
    }

    /// What vm/list and vm/get say of a VM whose host lock is free, made again only when its
    /// config, events or disk file changed (the disk's allocated size is part of the answer).
    /// These four lstat calls are all a kept answer costs.
    func stoppedInfo(_ paths: Paths, make: () throws -> VMInfo) rethrows -> VMInfo {
        // A saved state makes the VM suspended: its appearing or going changes the answer too.
        let files = paths.files
        let now = [Version.of(files.config), Version.of(files.events), Version.of(files.disk), Version.of(files.savedState)]
        if let kept = lock.locked({ infos[files.root] }), kept.0 == now { return kept.1 }
        let info = try make()
        lock.locked { infos[files.root] = (now, info) }
        return info
    }

    /// `info` as JSON with its text, both made again only when it differs from the last one kept
    /// for its VM: encoding, then writing, 200 VMs on every vm/list was most of what the call cost.
    func json(of info: VMInfo) throws -> JSONValue {
        if let kept = lock.locked({ encoded[info.name] }), kept.0 == info { return kept.1 }
        let json = try JSONValue.writing(try JSONValue(encoding: info))
        lock.locked { encoded[info.name] = (info, json) }
        return json
    }

    /// Forgets bundles that are gone (deleted or renamed away), given the names still listed.
    func keep(onlyNames names: Set<String>) {
        lock.locked {
            // Nothing gone or asked about since the last list: the filters below would copy every
            // table for nothing (vm/get of a name not listed adds a path the filter must drop).
            if names == keptNames && self.paths.count == names.count { return }
            keptNames = names
            self.paths = self.paths.filter { names.contains($0.key) }
            let paths = Set(self.paths.values.map(\.files.root))
            configs = configs.filter { paths.contains($0.key) }
            events = events.filter { paths.contains($0.key) }
            infos = infos.filter { paths.contains($0.key) }
        }
    }

    /// Forgets the JSON of VMs that are no longer listed.
    func keepJSON(only names: Set<String>) {
        lock.locked { encoded = encoded.filter { names.contains($0.key) } }
    }
}
