import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The serve side of guest access: SSH ports kept for life, forwards, `vm/sshInfo`
/// (PROTOCOL.md "Guest access").
extension VMService {
    /// VMInfo's `ssh` and `forwards`: the host's measurement while running, the config otherwise.
    static func withAccess(_ info: VMInfo, _ c: VMConfig, status: HostStatus?) -> VMInfo {
        var info = info
        info.forwards = c.forwards.isEmpty ? nil : c.forwards
        let user = c.provisionFacts.user
        if var ssh = status?.ssh {
            ssh.user = user
            info.ssh = ssh
        } else if HelperBuild.backend == .qemu, let port = c.sshPort {
            info.ssh = VMSSHInfo(host: "127.0.0.1", port: port, user: user, ready: false)
        }
        return info
    }

    func claimedPorts(except name: String?) -> [PortForward.Proto: [Int: String]] {
        VMService.claimedPorts(in: store, except: name)
    }

    /// A clone runs beside its source: its own SSH port, and no forwards (their host ports are the source's).
    static func giveCloneItsOwnPorts(_ config: inout VMConfig, store: BundleStore) throws {
        config.forwards = []
        guard config.sshPort != nil else { return }
        config.sshPort = try LoopbackPorts.pickFree(avoiding: Set((claimedPorts(in: store, except: nil)[.tcp] ?? [:]).keys))
    }

    /// Host ports other VMs' configs claim (their SSH ports and forwards), by protocol.
    static func claimedPorts(in store: BundleStore, except name: String?) -> [PortForward.Proto: [Int: String]] {
        var claimed: [PortForward.Proto: [Int: String]] = [.tcp: [:], .udp: [:]]
        for other in store.names() where other != name {
            guard let c = try? store.bundle(other).loadConfig() else { continue }
            if let p = c.sshPort { claimed[.tcp]![p] = other }
            for f in c.forwards { claimed[f.proto]![f.hostPort] = other }
        }
        return claimed
    }

    /// Gives a new config (or an old one at its first start) its SSH port.
    func assignSSHPort(_ config: inout VMConfig, name: String) throws {
        guard config.sshPort == nil, config.os == .linux || HelperBuild.backend == .qemu else { return }
        config.sshPort = try LoopbackPorts.pickFree(avoiding: Set((claimedPorts(except: name)[.tcp] ?? [:]).keys))
    }

    /// Checks a VM's whole set of forwards: valid, not clashing with each other, its SSH port,
    /// other VMs' ports, or (for `fresh` ones) a program listening now.
    func checkForwards(_ forwards: [PortForward], fresh: [PortForward], sshPort: Int?, name: String) throws {
        let claimed = claimedPorts(except: name)
        var seen: Set<String> = []
        for f in forwards {
            try f.validate()
            guard seen.insert("\(f.proto.rawValue)/\(f.hostPort)").inserted else {
                throw HelperError.invalidParams(field: "forwards", message: "Host port \(f.hostPort)/\(f.proto.rawValue) is forwarded twice in VM '\(name)'; give each forward its own host port.")
            }
            if f.proto == .tcp, f.hostPort == sshPort {
                throw HelperError.invalidParams(field: "forwards", message: "Host port \(f.hostPort) is VM '\(name)''s SSH port; choose another host port for the forward \(f.described).")
            }
            if let owner = claimed[f.proto]?[f.hostPort] {
                throw HelperError.invalidParams(field: "forwards", message: "Host port \(f.hostPort)/\(f.proto.rawValue) already belongs to VM '\(owner)'; choose another host port for the forward \(f.described).")
            }
        }
        for f in fresh where LoopbackPorts.bindError(address: f.hostAddress, port: f.hostPort, proto: f.proto) == EADDRINUSE {
            throw HelperError.invalidParams(field: "forwards", message: "Host port \(f.hostAddress):\(f.hostPort) is in use by \(LoopbackPorts.owner(port: f.hostPort, proto: f.proto)); choose another host port for the forward \(f.described).")
        }
    }

    /// The access part of vm/configure on a stopped VM: a new SSH port, forwards added and removed.
    func applyAccessChanges(_ p: VMConfigureParams, to config: inout VMConfig) throws {
        if let port = p.sshPort {
            guard (1...65535).contains(port) else {
                throw HelperError.invalidParams(field: "sshPort", message: "The SSH port \(port) is not between 1 and 65535; give a port in that range.")
            }
            if let owner = claimedPorts(except: p.name)[.tcp]?[port] {
                throw HelperError.invalidParams(field: "sshPort", message: "Host port \(port) already belongs to VM '\(owner)'; choose another SSH port.")
            }
            if port != config.sshPort, LoopbackPorts.bindError(address: "127.0.0.1", port: port) == EADDRINUSE {
                throw HelperError.invalidParams(field: "sshPort", message: "Host port \(port) is in use by \(LoopbackPorts.owner(port: port)); choose another SSH port.")
            }
            config.sshPort = port
        }
        let (next, added, _) = try forwardsAfter(p, config.forwards)
        if p.addForwards != nil || p.removeForwards != nil || p.sshPort != nil {
            try checkForwards(next, fresh: added, sshPort: config.sshPort, name: p.name)
        }
        config.forwards = next
    }

    /// The forwards after a configure request, with those added and removed.
    func forwardsAfter(_ p: VMConfigureParams, _ current: [PortForward]) throws -> ([PortForward], [PortForward], [PortForward]) {
        var next = current
        var removed: [PortForward] = []
        for r in p.removeForwards ?? [] {
            let matching = next.filter(r.matches)
            guard !matching.isEmpty else {
                throw HelperError.invalidParams(field: "removeForwards", message: "VM '\(p.name)' has no forward on host port \(r.hostPort)\(r.proto.map { "/\($0.rawValue)" } ?? ""); 'vmtui get \(p.name)' lists its forwards.")
            }
            removed += matching
            next.removeAll(where: r.matches)
        }
        let added = p.addForwards ?? []
        next += added
        return (next, added, removed)
    }

    /// vm/configure for a running VM: only forwards can change, and the host applies them at once.
    func configureRunning(_ p: VMConfigureParams, bundle: VMBundle) async throws -> VMInfo {
        let others = p.cpuCount != nil || p.memoryBytes != nil || p.diskBytes != nil || p.detachISO == true || p.sshPort != nil
        if others || (p.addForwards == nil && p.removeForwards == nil) {
            throw HelperError.invalidState(name: p.name, state: "running", action: "reconfigure (only forwards change while it runs)")
        }
        var config = try bundle.loadConfig()
        let (next, added, removed) = try forwardsAfter(p, config.forwards)
        try checkForwards(next, fresh: added.filter { a in !removed.contains(a) }, sshPort: config.sshPort, name: p.name)
        _ = try await link(p.name).request(HostForwardsRequest.self, VMForwardsParams(name: p.name, add: added, remove: removed))
        config.forwards = next
        try bundle.saveConfig(config)
        return try await info(p.name)
    }

    /// `vm/configure`, running or not.
    public func configureAny(_ p: VMConfigureParams) async throws -> VMInfo {
        let bundle = try store.existing(p.name)
        if case .held = HostLock.probe(bundle.lock), p.addForwards != nil || p.removeForwards != nil {
            return try await configureRunning(p, bundle: bundle)
        }
        return try configure(p)
    }

    /// `vm/sshInfo`.
    public func sshDetails(_ name: String) async throws -> VMSSHDetails {
        let vm = try await info(name)
        let bundle = try store.existing(name)
        guard let ssh = vm.ssh else {
            throw HelperError.unsupported("VM '\(name)' has no SSH address yet: its host learns the guest's address once it has booted. Start it ('vmtui start \(name)') and try again in a moment.")
        }
        let facts = try bundle.loadConfig().provisionFacts
        let identity = facts.keyFiles.lazy.filter { $0.hasSuffix(".pub") }.map { String($0.dropLast(4)) }
            .first(where: FileOps.isRegularFile)
        return VMSSHDetails(name: name, state: vm.state, host: ssh.host, port: ssh.port,
                            user: facts.user ?? VMService.hostUserName(), identityFile: identity,
                            knownHostsFile: bundle.url.appendingPathComponent("known_hosts").path, ready: ssh.ready)
    }

    static func hostUserName() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }
}
