import Foundation

/// The per-VM host's guest-access duties: SSH readiness, guest reboots (the `restarting` state),
/// a guest's own power-off, and forwards changed while running (PROTOCOL.md "Guest access").
final class HostAccess: @unchecked Sendable {
    let lock = NSLock()
    var probe: SSHReadinessProbe?
    var restartedAt: Date?
    /// vmtui asked the guest to stop (vm/stop, a signal): a power-off then is not the guest's own.
    var stopRequested = false
    /// VZ: forwards relayed by this host to the guest's NAT address.
    var proxies: ProxyForwards?

    /// How long `restarting` shows at least, and at most when the guest prints nothing.
    static let minRestarting: TimeInterval = 0.5
    static let maxRestarting: TimeInterval = 10
}

extension VMHost {
    /// Starts measuring SSH readiness once the guest runs.
    func startAccess() {
        guard let backend, backend.activeState == .running else { return }
        let probe = SSHReadinessProbe(maxDelay: 0.5,
            endpoint: { [weak self] in SSHReadinessProbe.split(self?.backend?.sshAddress) },
            onChange: { [weak self] ready in self?.sshReadinessChanged(ready) })
        access.lock.locked { access.probe = probe }
        probe.start()
        if !(backend is LiveForwarding), let forwards = try? bundle.loadConfig().forwards {
            let proxies = ProxyForwards(target: { [weak self] in self?.backend?.reportedGuestAddress?.ip })
            access.lock.locked { access.proxies = proxies }
            for f in forwards {
                do { try proxies.addForward(f) } catch { Log.error((error as? HelperError)?.message ?? "\(error)") }
            }
        }
    }

    func endAccess() {
        access.lock.locked { access.probe }?.cancel()
        access.lock.locked { access.proxies }?.stopAll()
    }

    var sshStatus: VMSSHInfo? {
        guard let target = SSHReadinessProbe.split(backend?.sshAddress) else { return nil }
        return VMSSHInfo(host: target.host, port: target.port, ready: access.lock.locked { access.probe }?.isReady ?? false)
    }

    /// The reason recorded when the guest stopped itself.
    func ownStopReason(_ how: BackendStop?) -> String? {
        guard how == .guestShutdown, !access.lock.locked({ access.stopRequested }) else { return nil }
        return "the guest powered off"
    }

    func noteStopRequested() { access.lock.locked { access.stopRequested = true } }

    private func sshReadinessChanged(_ ready: Bool) {
        notifySSH(ready: ready)
    }

    /// The guest reset itself (QMP RESET): restarting until it prints again, SSH measured anew.
    func guestRestarted() {
        guard currentState == .running || currentState == .restarting else { return }
        let now = Date()
        access.lock.locked { access.restartedAt = now }
        DispatchQueue.global().asyncAfter(deadline: .now() + HostAccess.maxRestarting) { [weak self] in
            self?.finishRestart(since: now)
        }
        // QEMU may report one reboot as more than one RESET: one state change, one new probe.
        guard currentState != .restarting else { return }
        setState(.restarting)
        access.lock.locked { access.probe }?.start()
    }

    /// Console output after a reset: the guest is booting again, so it runs.
    func noteConsoleForRestart() {
        guard let since = access.lock.locked({ access.restartedAt }),
              Date().timeIntervalSince(since) >= HostAccess.minRestarting else { return }
        finishRestart(since: since)
    }

    private func finishRestart(since: Date) {
        let current: Bool = access.lock.locked {
            guard access.restartedAt == since else { return false }
            access.restartedAt = nil
            return true
        }
        if current && currentState == .restarting { setState(.running) }
    }
}

extension VMHost {
    /// `host/forwards`: removals first (a forward moved to a new guest port keeps its host port).
    func changeForwards(add: [PortForward], remove: [PortForward]) throws {
        guard let backend, !isEndedForAccess else { throw HelperError.invalidState(name: bundle.name, state: "stopped", action: "change the forwards of") }
        guard let live = (backend as? LiveForwarding) ?? access.lock.locked({ access.proxies }) else {
            throw HelperError.unsupported("This backend cannot change forwards while VM '\(bundle.name)' runs; stop it, configure, and start it again.")
        }
        for f in remove { try live.removeForward(f) }
        for f in add { try live.addForward(f) }
    }

    private var isEndedForAccess: Bool { currentState == .stopped || currentState == .error }
}
