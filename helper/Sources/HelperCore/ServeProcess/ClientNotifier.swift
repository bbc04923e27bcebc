import Foundation

/// The serve session's notifications to its client. A state change can reach serve twice (from
/// the host's socket and from events.jsonl); each is told once, in order, per VM.
final class ClientNotifier: @unchecked Sendable {
    private let send: @Sendable (String, JSONValue) -> Void
    private let lock = NSLock()
    /// The newest state changes told for each VM, newest last (a few, since two changes can share
    /// a millisecond and arrive again from the other source after both were told).
    private var told: [String: [StateChangedParams]] = [:]
    private static let kept = 16

    init(send: @escaping @Sendable (String, JSONValue) -> Void) {
        self.send = send
    }

    /// Notifications from hosts (VMService's notifier): state changes are filtered, the rest pass.
    func forward(_ method: String, _ params: JSONValue) {
        // An SSH readiness change repeats the state and comes only from the host: it passes as is.
        if method == StateChangedNotification.method, let change = try? params.decode(as: StateChangedParams.self),
           change.sshReady == nil {
            announce(change)
        } else {
            send(method, params)
        }
    }

    /// Tells a state change unless it was told already, is older than one told, or repeats the
    /// last state (a stop seen both in the log and as the host's exit).
    @discardableResult
    func announce(_ change: StateChangedParams) -> Bool {
        let fresh: Bool = lock.locked {
            let recent = told[change.name] ?? []
            if let last = recent.last {
                if change.time < last.time { return false }
                if change.state == last.state && change.step == last.step { return false }
            }
            if recent.contains(where: { $0.time == change.time && $0.state == change.state && $0.step == change.step }) { return false }
            told[change.name] = Array((recent + [change]).suffix(Self.kept))
            return true
        }
        if fresh, let params = try? JSONValue(encoding: change) { send(StateChangedNotification.method, params) }
        return fresh
    }

    /// Records a VM's state as already known to the client (what the session found at its start).
    func seed(_ change: StateChangedParams) {
        lock.locked { if told[change.name] == nil { told[change.name] = [change] } }
    }

    /// The last state told (or seeded) for a VM.
    func lastState(_ name: String) -> VMState? {
        lock.locked { told[name]?.last?.state }
    }

    func changed(_ params: VMChangedParams) {
        lock.locked {
            switch params.change {
            case .removed: told[params.name] = nil
            case .renamed: if let newName = params.newName { told[newName] = told.removeValue(forKey: params.name) }
            case .added, .updated: break
            }
        }
        if let json = try? JSONValue(encoding: params) { send(VMChangedNotification.method, json) }
    }
}
