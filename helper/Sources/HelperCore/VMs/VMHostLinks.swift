import Foundation

/// The serve process's links to running hosts, one per VM, and what a host's end tells the client.
extension VMService {
    /// The link to the running host, made on first use and remade when a new host holds the lock
    /// (a VM stopped and started again); dropped when its host goes away.
    func link(_ name: String) throws -> HostLink {
        let bundle = try store.bundle(name)
        guard case .held(let pid) = HostLock.probe(bundle.lock) else {
            throw HelperError.invalidState(name: name, state: "stopped", action: "reach")
        }
        lock.lock()
        if let existing = links[name], existing.hostPid == pid, existing.isOpen { lock.unlock(); return existing }
        let stale = links.removeValue(forKey: name)
        lock.unlock()
        stale?.close()
        let made = try HostLink(bundle: bundle, hostPid: pid, forward: { [weak self] method, params in
            self?.forwardToClient(method, params)
        }, onClose: { [weak self] in
            self?.hostGone(name, bundle: bundle, pid: pid)
        })
        lock.lock()
        defer { lock.unlock() }
        if let raced = links[name], raced.hostPid == pid, raced.isOpen { made.close(); return raced }
        links[name] = made
        return made
    }

    /// Forgets the link to a host about to be ended, so its closing reports nothing.
    func dropLink(_ name: String) {
        let gone = lock.locked { links.removeValue(forKey: name) }
        gone?.close()
    }

    /// Whether an open link reaches this host (the store watcher links to hosts that appear).
    func isLinked(_ name: String, hostPid: Int32) -> Bool {
        lock.locked { links[name].map { $0.hostPid == hostPid && $0.isOpen } ?? false }
    }

    func forwardToClient(_ method: String, _ params: JSONValue) {
        lock.lock()
        let notify = notifyClient
        lock.unlock()
        notify?(method, params)
    }

    /// A host closed its socket: it has exited. Tell the client the state it left behind.
    private func hostGone(_ name: String, bundle: VMBundle, pid: Int32) {
        lock.lock()
        let current = links[name]?.hostPid == pid
        if current { links[name] = nil }
        lock.unlock()
        // A link replaced by a newer host's (or closed by us) has nothing to report.
        guard current else { return }
        VMService.waitForLockRelease(bundle)
        // The same host still holds the lock: only its socket went, the VM did not stop.
        if case .held(let holder) = HostLock.probe(bundle.lock), holder == pid { return }
        let last = EventLog(url: bundle.events).last
        let state: VMState = last?.state == .error ? .error : last?.state == .suspended ? .suspended : .stopped
        // A host killed before it recorded its end: the stop happened now, not at its last record.
        let recorded = last?.state == state
        let note = StateChangedParams(name: name, state: state, step: nil, reason: recorded ? last?.reason : nil,
                                      time: recorded ? last!.time : VMEvent.format(Date()))
        if let params = try? JSONValue(encoding: note) { forwardToClient(StateChangedNotification.method, params) }
    }

    /// A host that has stopped its guest releases the lock within moments; wait up to 3 s.
    static func waitForLockRelease(_ bundle: VMBundle) {
        let deadline = Date().addingTimeInterval(3)
        while HostLock.probe(bundle.lock) != .free && Date() < deadline { usleep(30_000) }
    }
}
