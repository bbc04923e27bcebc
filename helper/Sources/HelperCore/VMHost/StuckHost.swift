import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends a per-VM host that does not answer (`vm/stop {force: true}`): it is killed with its
/// hypervisor process, but only after host.lock's pid is checked to be this bundle's host.
enum StuckHost {
    /// Whether `pid` runs `vmtui-helper host <this bundle>`; nil where that cannot be checked.
    static func isHost(_ pid: Int32, of bundle: VMBundle) -> Bool? {
        #if os(Linux)
        guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let argv = raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let at = argv.firstIndex(of: "host"), at + 1 < argv.count else { return false }
        // The same folder however it was spelled: compare device and inode.
        var a = stat(), b = stat()
        guard stat(argv[at + 1], &a) == 0, stat(bundle.url.path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
        #else
        return nil
        #endif
    }

    /// The host's child processes (qemu, through setpriv's exec), read before the host is killed.
    static func children(of pid: Int32) -> [Int32] {
        #if os(Linux)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var found: [Int32] = []
        for task in tasks {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            found += text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return found
        #else
        return []
        #endif
    }

    /// Kills the host and its guest process, waits for the lock to be freed, records why, and
    /// removes the sockets the host left. Throws a sentence when the pid is not this VM's host.
    static func end(_ bundle: VMBundle, pid: Int32, why: String, deadline: TimeInterval = 10) throws {
        switch isHost(pid, of: bundle) {
        case true?:
            break
        case false?:
            guard FileOps.isProcessAlive(pid) else { break }
            throw HelperError.backend("host.lock of VM '\(bundle.name)' names pid \(pid), which is not this VM's host process (another program holds its lock), so vmtui did not end it; find out what pid \(pid) is before you stop it.")
        case nil:
            throw HelperError.unsupported("vmtui cannot check on this system that pid \(pid) is VM '\(bundle.name)''s host, so it did not end it; if 'ps -p \(pid)' shows 'vmtui-helper host', end it with 'kill -9 \(pid)'.")
        }
        let guests = children(of: pid)
        kill(pid, SIGKILL)
        guests.forEach { kill($0, SIGKILL) }
        let until = Date().addingTimeInterval(deadline)
        while HostLock.probe(bundle.lock) != .free && Date() < until { usleep(20_000) }
        guard HostLock.probe(bundle.lock) == .free else {
            throw HelperError.backend("The host process of VM '\(bundle.name)' (pid \(pid)) was sent SIGKILL but still holds its lock after \(Int(deadline)) s; check it with 'ps -p \(pid)'.")
        }
        Log.info("ended the host of VM '\(bundle.name)' (pid \(pid)) and its guest process(es) \(guests): \(why)")
        EventLog(url: bundle.events).append(state: .stopped, step: "killedHost", reason: why)
        try? SafeFile.remove(bundle.controlSocket, .socket)
        try? SafeFile.remove(bundle.qmpSocket, .socket)
    }
}

/// How long a process has run (Linux /proc); nil where unknown.
enum ProcessAge {
    static func seconds(_ pid: Int32) -> Double? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let parsed = ProcFS.parsePidStat(stat),
              let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8)).flatMap(ProcFS.parseUptime) else { return nil }
        return uptime - Double(parsed.startTicks) / Double(sysconf(Int32(_SC_CLK_TCK)))
        #else
        return nil
        #endif
    }
}
