import Foundation

/// Whether this host's guest ended by being suspended (its final state is then `suspended`).
final class Suspension: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func mark() { lock.locked { done = true } }
    var isDone: Bool { lock.locked { done } }
}

/// Suspend and resume in the per-VM host (PROTOCOL.md "Suspend and resume").
extension VMHost {
    /// Boots the guest, or resumes it from its saved state when there is one that fits. A state
    /// that does not fit, or that the hypervisor cannot load, is set aside (an event says why) and
    /// the disk boots.
    func startBackend(_ backend: VMBackend) throws {
        SavedState.removeLeftovers(bundle)
        if SavedState.isPresent(bundle) {
            var verdict = SavedState.check(bundle, facts: backend.machineFacts())
            if verdict == .resume {
                setState(.restoring)
                do {
                    try backend.start(events: self, restoring: SavedState.stateURL(bundle))
                    SavedState.removeAfterResume(bundle)
                    return
                } catch {
                    let why = (error as? HelperError)?.message ?? "\(error)"
                    verdict = .setAside("the hypervisor could not load it (\(why.trimmingCharacters(in: CharacterSet(charactersIn: "."))))")
                }
            }
            if case .setAside(let why) = verdict {
                let sentence = (try? SavedState.setAside(bundle, because: why))
                    ?? "The saved state of VM '\(bundle.name)' could not be set aside (\(why)); the VM boots from its disk."
                setState(.starting, step: "stateSetAside", reason: sentence)
            }
        }
        try backend.start(events: self)
    }

    /// Saves the running or paused guest's state into the bundle and ends the host; the VM is then
    /// `suspended`. A failed save leaves the guest as it was (and no state).
    func suspend(progress: SaveProgress?) async throws -> HostStatus {
        let before = currentState
        guard let backend, !isEnded, before == .running || before == .paused else { throw invalidState("suspend") }
        setState(.saving)
        let partial = SavedState.partialURL(bundle)
        do {
            try await runOnOwnThread(name: "vmtui-save") {
                try backend.saveState(to: partial, progress: progress)
                try SavedState.commit(self.bundle, facts: backend.machineFacts())
            }
        } catch {
            try? SafeFile.remove(partial, .file)
            let resumed = before == .running && (try? backend.resume()) != nil
            setState(resumed || before == .paused ? before : .paused)
            let why = (error as? HelperError)?.message ?? "\(error)"
            throw HelperError.backend("VM '\(bundle.name)' could not be suspended: \(why) It goes on \(resumed || before == .running ? "running" : "paused") as before; stop it with 'vmtui stop \(bundle.name)' if you need it off.")
        }
        suspension.mark()
        try? backend.forceStop()
        _ = await waitForEnd(timeout: 15)
        return status()
    }
}

/// Throttles a stream of progress notes.
final class LastSent: @unchecked Sendable {
    private let lock = NSLock()
    private var at: Date?
    func due(after seconds: TimeInterval) -> Bool {
        lock.locked {
            let now = Date()
            if let at, now.timeIntervalSince(at) < seconds { return false }
            at = now
            return true
        }
    }
}
