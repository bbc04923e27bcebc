#if os(Linux)
import Foundation
import Glibc

/// inotify on `vms/`, each bundle folder and its snapshots folder. Costs nothing while nothing
/// changes; a running guest's disk and console writes are not watched (no IN_MODIFY). A host that
/// ends, even killed, closes host.lock (IN_CLOSE_WRITE), so a freed lock is seen too.
final class InotifyTrigger: StoreTrigger, @unchecked Sendable {
    private enum Kind { case home, vms, bundle, snapshots }

    // <sys/inotify.h>
    private static let closeWrite: UInt32 = 0x8, movedFrom: UInt32 = 0x40, movedTo: UInt32 = 0x80
    private static let create: UInt32 = 0x100, delete: UInt32 = 0x200, deleteSelf: UInt32 = 0x400
    private static let moveSelf: UInt32 = 0x800, overflow: UInt32 = 0x4000, ignored: UInt32 = 0x8000
    private static let onlyDir: UInt32 = 0x0100_0000, dontFollow: UInt32 = 0x0200_0000
    private static let entries = create | delete | movedFrom | movedTo | onlyDir | dontFollow
    /// Files in a bundle whose change matters; the rest (disk, console, logs) are ignored.
    private static let bundleFiles: Set<String> = [VMBundle.configFile, "events.jsonl", "host.lock", "control.sock", "snapshots"]

    private let fd: Int32
    private let wake: (read: Int32, write: Int32)
    private let store: BundleStore
    private let lock = NSLock()
    // Guarded by lock.
    private var kinds: [Int32: Kind] = [:]
    private var paths: [String: Int32] = [:]
    private var vmsWatched = false
    private var closed = false

    init(store: BundleStore) throws {
        self.store = store
        fd = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: store.vmsDirectory.path, action: "watch") }
        guard let pipe = Posix.makePipe() else {
            Posix.close(fd)
            throw HelperError.fromErrno(errno, path: "pipe", action: "create")
        }
        wake = pipe
        lock.locked { watchRoots() }
    }

    deinit {
        Posix.close(fd)
        Posix.close(wake.read)
        Posix.close(wake.write)
    }

    func wait() -> Bool {
        while true {
            let (vmsMissing, justWatched) = lock.locked { () -> (Bool, Bool) in
                guard !vmsWatched else { return (false, false) }
                watchRoots()
                return (!vmsWatched, vmsWatched)
            }
            // vms/ appeared while it was not watched: what is in it now has not been looked at.
            if justWatched { return !isClosed }
            if isClosed { return false }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            // Until vms/ exists there is nothing to watch in it; look for it once a second.
            let ready = poll(&fds, 2, vmsMissing ? 1000 : -1)
            if isClosed { return false }
            if ready < 0 && errno != EINTR { return true }
            if ready == 0 {
                if lock.locked({ watchRoots(); return vmsWatched }) { return true }
                continue
            }
            if drain() {
                // One change is several events (a create renames a folder, a start writes three files).
                usleep(15_000)
                _ = drain()
                return true
            }
        }
    }

    func watch(bundles: [VMBundle]) -> Bool {
        lock.locked {
            var wanted: [String: Kind] = [:]
            for b in bundles {
                wanted[b.url.path] = .bundle
                wanted[b.snapshots.path] = .snapshots
            }
            var added = false
            for (path, kind) in wanted where paths[path] == nil {
                let wd = inotify_add_watch(fd, path, Self.entries | (kind == .bundle ? Self.closeWrite : 0))
                guard wd >= 0 else { continue }  // a snapshots folder not made yet; its bundle's watch sees it come
                paths[path] = wd
                kinds[wd] = kind
                added = true
            }
            for (path, wd) in paths where wanted[path] == nil && kinds[wd] != .vms && kinds[wd] != .home {
                paths[path] = nil
                // A renamed folder keeps its watch under the new path.
                if !paths.values.contains(wd) {
                    inotify_rm_watch(fd, wd)
                    kinds[wd] = nil
                }
            }
            return added
        }
    }

    func close() {
        lock.locked { closed = true }
        var byte: UInt8 = 1
        _ = Glibc.write(wake.write, &byte, 1)
    }

    private var isClosed: Bool { lock.locked { closed } }

    /// Watches vms/, or its parent until vms/ is made. Called with the lock held.
    private func watchRoots() {
        let vms = store.vmsDirectory.path
        let wd = inotify_add_watch(fd, vms, Self.entries | Self.deleteSelf | Self.moveSelf)
        if wd >= 0 {
            paths[vms] = wd
            kinds[wd] = .vms
            vmsWatched = true
            return
        }
        let home = store.home.path
        if paths[home] == nil {
            let hwd = inotify_add_watch(fd, home, Self.create | Self.movedTo | Self.onlyDir)
            if hwd >= 0 { paths[home] = hwd; kinds[hwd] = .home }
        }
    }

    /// Reads every pending event; true when one of them matters.
    private func drain() -> Bool {
        var relevant = false
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n <= 0 { break }
            var at = 0
            while at + 16 <= n {
                let wd = Self.int32(buffer, at), mask = Self.uint32(buffer, at + 4), length = Int(Self.uint32(buffer, at + 12))
                let nameBytes = buffer[(at + 16)..<min(n, at + 16 + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                at += 16 + length
                if mask & Self.overflow != 0 { relevant = true; continue }
                lock.locked {
                    guard let kind = kinds[wd] else { return }
                    if mask & Self.ignored != 0 {
                        kinds[wd] = nil
                        paths = paths.filter { $0.value != wd }
                        if kind == .vms { vmsWatched = false; relevant = true }
                        return
                    }
                    switch kind {
                    case .vms: if !name.hasPrefix(".") || mask & (Self.deleteSelf | Self.moveSelf) != 0 { relevant = true }
                    case .home: if name == "vms" { relevant = true }
                    case .bundle: if Self.bundleFiles.contains(name) { relevant = true }
                    // Half-made snapshots and temporary files are hidden; what they become is not.
                    case .snapshots: if !name.hasPrefix(".") || name == ".current.json" { relevant = true }
                    }
                    if kind == .vms, mask & (Self.deleteSelf | Self.moveSelf) != 0 {
                        inotify_rm_watch(fd, wd)
                        vmsWatched = false
                    }
                }
            }
        }
        return relevant
    }

    // inotify_event's fields are in host byte order; both architectures vmtui runs on are little-endian.
    private static func uint32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    private static func int32(_ b: [UInt8], _ at: Int) -> Int32 { Int32(bitPattern: uint32(b, at)) }
}
#endif
