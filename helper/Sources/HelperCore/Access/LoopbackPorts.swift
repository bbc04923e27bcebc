import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Host ports for guest access: free ones to pick, taken ones to explain (PROTOCOL.md "Guest access").
public enum LoopbackPorts {
    /// 0 when `port` can be bound on `address` now, else the errno of the failed bind.
    public static func bindError(address: String, port: Int, proto: PortForward.Proto = .tcp) -> Int32 {
        let fd = Sockets.inet(proto)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return Sockets.bindReusingAddress(fd, address: address, port: port) ? 0 : errno
    }

    /// A free loopback TCP port that no other VM's config claims (ports are kept for life).
    public static func pickFree(avoiding claimed: Set<Int>) throws -> Int {
        for _ in 0..<64 {
            let port = Int(try QEMUBackend.freeLoopbackPort())
            if !claimed.contains(port) { return port }
        }
        throw HelperError.backend("No free loopback port was found for the guest's SSH forward; close some programs that listen on many ports and try again.")
    }

    /// Throws a sentence naming the program on the VM's SSH port or on one of its forwards.
    public static func checkAvailable(vm name: String, sshPort: Int?, forwards: [PortForward]) throws {
        if let sshPort, bindError(address: "127.0.0.1", port: sshPort) == EADDRINUSE {
            throw HelperError.backend("VM '\(name)' cannot start: its SSH port 127.0.0.1:\(sshPort) is in use by \(owner(port: sshPort)). Stop that program, or give the VM another port with 'vmtui configure \(name) --ssh-port PORT'.")
        }
        for f in forwards {
            let e = bindError(address: f.hostAddress, port: f.hostPort, proto: f.proto)
            if e == EADDRINUSE {
                throw HelperError.backend("VM '\(name)' cannot start: the host port of its forward \(f.described) is in use by \(owner(port: f.hostPort, proto: f.proto)). Stop that program, or move the forward: 'vmtui configure \(name) --remove-forward \(f.hostPort)' and add it again on another port with '--forward'.")
            }
            if e == EADDRNOTAVAIL {
                throw HelperError.backend("VM '\(name)' cannot start: its forward \(f.described) names the address \(f.hostAddress), which this host does not have. Remove it with 'vmtui configure \(name) --remove-forward \(f.hostPort)' and add it again on an address of this host.")
            }
        }
    }

    /// "qemu-system-x86 (pid 4242, VM 'web')", "sshd (pid 12)", or "another program" where
    /// the owner cannot be seen (not Linux, or a process of another user).
    public static func owner(port: Int, proto: PortForward.Proto = .tcp, proc: String = "/proc") -> String {
        guard let pid = owningProcess(port: port, proto: proto, proc: proc) else { return "another program" }
        var text = "\(programName(pid: pid, proc: proc)) (pid \(pid)"
        if let vm = vmtuiName(pid: pid, proc: proc) { text += ", VM '\(vm)'" }
        return text + ")"
    }

    /// Linux: the socket inode listening on `port` (/proc/net/tcp*, udp*), then the process
    /// holding it (/proc/PID/fd/* → socket:[inode]).
    static func owningProcess(port: Int, proto: PortForward.Proto, proc: String) -> Int32? {
        let tables = proto == .tcp ? ["tcp", "tcp6"] : ["udp", "udp6"]
        var inodes: Set<String> = []
        for table in tables {
            guard let text = try? String(contentsOfFile: "\(proc)/net/\(table)", encoding: .utf8) else { continue }
            inodes.formUnion(socketInodes(table: text, port: port, listeningOnly: proto == .tcp))
        }
        guard !inodes.isEmpty, let pids = try? FileManager.default.contentsOfDirectory(atPath: proc) else { return nil }
        for entry in pids {
            guard let pid = Int32(entry) else { continue }
            let fdDir = "\(proc)/\(entry)/fd"
            for fd in (try? FileManager.default.contentsOfDirectory(atPath: fdDir)) ?? [] {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\(fd)"),
                      target.hasPrefix("socket:[") else { continue }
                if inodes.contains(String(target.dropFirst(8).dropLast())) { return pid }
            }
        }
        return nil
    }

    /// Inodes of the sockets bound to `port` in one /proc/net table (TCP: listening ones, state 0A).
    static func socketInodes(table: String, port: Int, listeningOnly: Bool) -> Set<String> {
        var found: Set<String> = []
        for line in table.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            guard cols.count > 9, let colon = cols[1].lastIndex(of: ":"),
                  Int(cols[1][cols[1].index(after: colon)...], radix: 16) == port else { continue }
            if listeningOnly && cols[3] != "0A" { continue }
            if cols[9] != "0" { found.insert(String(cols[9])) }
        }
        return found
    }

    /// The program's name: argv[0]'s last part (comm can be a thread's name, "MainThread" for node).
    static func programName(pid: Int32, proc: String) -> String {
        if let data = FileManager.default.contents(atPath: "\(proc)/\(pid)/cmdline"),
           let first = data.split(separator: 0).first, !first.isEmpty {
            return String(decoding: first, as: UTF8.self).split(separator: "/").last.map(String.init) ?? "a process"
        }
        return (try? String(contentsOfFile: "\(proc)/\(pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "a process"
    }

    /// The VM a qemu started by vmtui runs (its `-name vmtui-NAME`).
    static func vmtuiName(pid: Int32, proc: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(proc)/\(pid)/cmdline") else { return nil }
        let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let i = args.firstIndex(of: "-name"), i + 1 < args.count, args[i + 1].hasPrefix("vmtui-") else { return nil }
        return String(args[i + 1].dropFirst(6))
    }
}
