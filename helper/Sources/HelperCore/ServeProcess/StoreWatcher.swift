import Foundation

/// serve's watch on `$VMTUI_HOME/vms` (PROTOCOL.md, "Freshness"): whatever another client, the
/// CLI or a script changes reaches this session's client. Bundles that appear, go or are renamed
/// and configs or snapshots that change become `vm/changed`; lines hosts append to events.jsonl
/// become `vm/stateChanged`; a host that takes a lock is linked to, and one that ends without
/// saying so (killed) is told as stopped. Apart from the call path: it only reads files and
/// makes links, on threads of its own.
final class StoreWatcher: @unchecked Sendable {
    private let vms: VMService
    private let notifier: ClientNotifier
    private let trigger: StoreTrigger
    private let onChange: @Sendable () -> Void
    // The watcher's thread only.
    private var known: [String: BundleFacts] = [:]
    private var tails: [String: EventTail] = [:]
    private let lock = NSLock()
    private var linking: Set<String> = []
    private var lookCount = 0

    /// Looks taken since `start` (tests wait on it to know a change was looked at).
    var looks: Int { lock.locked { lookCount } }

    /// - Parameter onChange: called after a look that found anything (stats subscribers sample at once).
    init(vms: VMService, notifier: ClientNotifier, trigger: StoreTrigger, onChange: @escaping @Sendable () -> Void = {}) {
        self.vms = vms
        self.notifier = notifier
        self.trigger = trigger
        self.onChange = onChange
    }

    private var store: BundleStore { vms.store }

    /// Opens once the first look is taken and told: a client served after it misses no change.
    let firstLook = Gate()

    /// Takes the first look and watches from then on, on a thread of its own; `firstLook` opens when
    /// that look is taken (serve holds VM methods until then, so it can answer initialize meanwhile).
    func start() {
        let thread = Thread { [self] in
            firstLookAndLinks()
            firstLook.open()
            while trigger.wait() { step() }
        }
        thread.name = "vmtui-store-watch"
        thread.start()
    }

    private func firstLookAndLinks() {
        // Watched before the first look, so one look is enough: what changes during it, the kernel tells.
        _ = trigger.watch(bundles: store.names().compactMap { try? store.bundle($0) })
        known = lookAndWatch()
        for (name, facts) in known {
            tails[name] = EventTail(endOf: facts.events)
            // What the client will read in vm/list; a host that ends unannounced is told as stopped.
            if facts.lockHolder != nil, let bundle = try? store.bundle(name), let last = EventLog(url: bundle.events).last {
                notifier.seed(StateChangedParams(name: name, state: last.state, step: last.step, reason: last.reason, time: last.time))
            }
        }
        linkHosts(known)
    }

    func stop() { trigger.close() }

    /// One look, and what it found told.
    func step() {
        let now = lookAndWatch()
        let changes = StoreScan.diff(known, now)
        known = now
        var told = !changes.isEmpty
        let time = VMEvent.format(Date())
        var released: [(String, Int32)] = []
        for change in changes {
            switch change {
            case .added(let name):
                tails[name] = EventTail(fromStartOf: nil)
                notifier.changed(VMChangedParams(name: name, change: .added, time: time))
            case .removed(let name):
                tails[name] = nil
                notifier.changed(VMChangedParams(name: name, change: .removed, time: time))
            case .renamed(let from, let to):
                tails[to] = tails.removeValue(forKey: from)
                notifier.changed(VMChangedParams(name: from, change: .renamed, newName: to, time: time))
            case .updated(let name):
                notifier.changed(VMChangedParams(name: name, change: .updated, time: time))
            case .lockReleased(let name, let pid):
                released.append((name, pid))
            case .lockTaken:
                break  // its link is made below; its states come from events.jsonl
            }
        }
        for (name, facts) in now.sorted(by: { $0.key < $1.key }) {
            guard let bundle = try? store.bundle(name) else { continue }
            var tail = tails[name] ?? EventTail(fromStartOf: nil)
            for event in tail.read(bundle.events, stamp: facts.events) {
                if notifier.announce(StateChangedParams(name: name, state: event.state, step: event.step, reason: event.reason, time: event.time)) {
                    told = true
                }
            }
            tails[name] = tail
        }
        for (name, _) in released where now[name] != nil && now[name]?.lockHolder == nil {
            if announceEnd(name) { told = true }
        }
        linkHosts(now)
        lock.locked { lookCount += 1 }
        if told { onChange() }
    }

    private func lookAndWatch() -> [String: BundleFacts] {
        var facts = StoreScan.look(store)
        let bundles = facts.keys.compactMap { try? store.bundle($0) }
        // A folder watched only now may have changed before its watch began: look once more.
        if trigger.watch(bundles: bundles) { facts = StoreScan.look(store) }
        return facts
    }

    /// A host ended without recording how (killed): the VM is stopped, as vm/get now says.
    private func announceEnd(_ name: String) -> Bool {
        guard let last = notifier.lastState(name), !Self.isEnd(last) else { return false }
        let time = VMEvent.format(Date())
        return notifier.announce(StateChangedParams(name: name, state: .stopped, step: nil, reason: nil, time: time))
    }

    static func isEnd(_ state: VMState) -> Bool { state == .stopped || state == .error || state == .suspended }

    /// Links to every host whose socket is there and that has no link yet, each from a thread of
    /// its own (a host may be slow to answer); a failed attempt is made again at the next change.
    private func linkHosts(_ facts: [String: BundleFacts]) {
        for (name, f) in facts {
            guard let pid = f.lockHolder, f.hasControlSocket, !vms.isLinked(name, hostPid: pid) else { continue }
            let fresh = lock.locked { linking.insert(name).inserted }
            guard fresh else { continue }
            let vms = self.vms
            Thread { [self] in
                _ = try? vms.link(name)
                _ = lock.locked { linking.remove(name) }
            }.start()
        }
    }
}
