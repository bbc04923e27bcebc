import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One round of `vm/stats` for one subscription: every VM whose host is up (all hosts asked for
/// `host/sample` at once), plus every VM whose host ended in error. Keeps the previous samples,
/// so one collector serves one subscription.
final class VMStatsCollector: @unchecked Sendable {
    private let vms: VMService
    private let hostCores: Double
    private let lock = NSLock()
    /// VMs whose host has not answered an earlier host/sample yet: a stuck host is asked once, not every interval.
    private var outstanding: Set<String> = []
    // Used only by the subscription's thread.
    private var rates = CPURateTracker()
    private var lastEvents: [String: (stamp: [Int], event: VMEvent?)] = [:]

    private struct Target {
        var name: String
        var bundle: VMBundle
        var config: VMConfig
        var hostPid: Int32
    }

    private enum Answer {
        case sample(HostSample)
        case failed(Error)
    }

    init(vms: VMService, hostCores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.vms = vms
        self.hostCores = Double(max(1, hostCores))
    }

    /// Blocks for at most about `timeout`; a host slower than that is reported as not answering.
    func collect(timeout: TimeInterval) -> [VMStats] {
        var entries: [String: VMStats] = [:]
        var targets: [Target] = []
        for name in vms.store.names() {
            // A bundle whose config cannot be read is vm/list's to report (in `problems`).
            guard let bundle = try? vms.store.bundle(name), let config = try? bundle.loadConfig() else { continue }
            switch HostLock.probe(bundle.lock) {
            case .held(let pid):
                targets.append(Target(name: name, bundle: bundle, config: config, hostPid: pid))
            case .free:
                if let entry = endedInError(bundle, config) { entries[name] = entry }
            }
        }
        let answers = ask(targets, timeout: timeout)
        for target in targets {
            if let entry = entry(target, answers[target.name], timeout: timeout) { entries[target.name] = entry }
        }
        rates.keep(only: Set(entries.keys))
        return entries.keys.sorted().compactMap { entries[$0] }
    }

    // MARK: Entries

    private func entry(_ t: Target, _ answer: Answer?, timeout: TimeInterval) -> VMStats? {
        switch answer {
        case .sample(let s)?:
            var e = Self.blank(t.bundle, t.config, state: s.state, error: s.error)
            e.vmPid = s.vmPid
            e.uptimeSeconds = s.uptimeSeconds.rounded()
            e.address = s.address
            e.sshAddress = s.sshAddress
            if let pid = s.vmPid, s.error == nil {
                let percent = rates.percent(name: t.name, pid: pid, cpuSeconds: s.cpuSeconds, uptimeSeconds: s.uptimeSeconds)
                e.cpuPercent = percent.roundedToHundredths()
                e.hostCpuPercent = (percent / hostCores).roundedToHundredths()
                e.residentBytes = s.residentBytes
            }
            return e
        case .failed(let error)?:
            // The host exited between the lock probe and the request: report what it left.
            if HostLock.probe(t.bundle.lock) == .free { return endedInError(t.bundle, t.config) }
            if let rpc = error as? RPCErrorObject, rpc.code == -32601 {
                let state = EventLog(url: t.bundle.events).last?.state ?? .running
                return Self.blank(t.bundle, t.config, state: state,
                                  error: "The host process of VM '\(t.name)' (pid \(t.hostPid)) comes from an older vmtui and cannot report stats; restart the VM to see them.")
            }
            if case .hostNotAnswering(_, _, let reason)? = error as? HelperError {
                return Self.blank(t.bundle, t.config, state: .notAnswering,
                                  error: "not answering (pid \(t.hostPid)): \(reason) End it with 'vmtui stop \(t.name) --force'.")
            }
            let sentence = (error as? HelperError)?.message ?? (error as? RPCErrorObject)?.message ?? "\(error)"
            return Self.blank(t.bundle, t.config, state: .error, error: sentence)
        case nil:
            return Self.blank(t.bundle, t.config, state: .notAnswering,
                              error: "not answering (pid \(t.hostPid)): no sample within \(Int(timeout.rounded())) s. End it with 'vmtui stop \(t.name) --force'.")
        }
    }

    /// A VM whose host is gone and whose last recorded state is error: listed with the reason.
    private func endedInError(_ bundle: VMBundle, _ config: VMConfig) -> VMStats? {
        guard let event = lastEvent(bundle), event.state == .error else { return nil }
        return Self.blank(bundle, config, state: .error,
                          error: event.reason ?? "VM '\(bundle.name)' stopped with an error; host.log in its folder says more.")
    }

    private static func blank(_ bundle: VMBundle, _ config: VMConfig, state: VMState, error: String?) -> VMStats {
        VMStats(name: bundle.name, state: state, cpuPercent: 0, hostCpuPercent: 0, residentBytes: 0,
                memoryBytes: config.memoryBytes, diskAllocatedBytes: FileOps.allocatedBytes(bundle.disk),
                diskBytes: config.diskBytes, uptimeSeconds: 0, vmPid: nil, address: nil, sshAddress: nil, error: error)
    }

    /// events.jsonl's last event, read again only when the file changed (stopped VMs are looked at every interval).
    private func lastEvent(_ bundle: VMBundle) -> VMEvent? {
        guard let stamp = FileSystemCalls.stamp(bundle.events.path) else { return nil }
        if let cached = lastEvents[bundle.name], cached.stamp == stamp { return cached.event }
        let event = EventLog(url: bundle.events).last
        lastEvents[bundle.name] = (stamp, event)
        return event
    }

    // MARK: Asking the hosts

    /// Asks every host at once, each from a thread of its own (making a link may wait for a
    /// starting host's socket); returns the answers that came within `timeout`.
    private func ask(_ targets: [Target], timeout: TimeInterval) -> [String: Answer] {
        let answers = AnswerBox()
        let group = DispatchGroup()
        for t in targets {
            let fresh = lock.locked { outstanding.insert(t.name).inserted }
            guard fresh else { continue }  // still waiting for its previous answer
            group.enter()
            let vms = self.vms
            Thread { [self] in
                let answer = Self.request(vms, t.name)
                lock.locked { _ = outstanding.remove(t.name) }
                answers.set(t.name, answer)
                group.leave()
            }.start()
        }
        _ = group.wait(timeout: .now() + timeout)
        return answers.snapshot()
    }

    private static func request(_ vms: VMService, _ name: String) -> Answer {
        let link: HostLink
        do { link = try vms.link(name) } catch { return .failed(error) }
        let done = DispatchSemaphore(value: 0)
        let result = AnswerBox()
        Task {
            do {
                result.set(name, .sample(try await link.request(HostSampleRequest.self, VMNameParams(name: name))))
            } catch {
                result.set(name, .failed(error))
            }
            done.signal()
        }
        done.wait()
        return result.snapshot()[name] ?? .failed(HelperError.hostUnreachable(name: name, reason: "no answer"))
    }

    private final class AnswerBox: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: Answer] = [:]
        func set(_ name: String, _ answer: Answer) { lock.locked { values[name] = answer } }
        func snapshot() -> [String: Answer] { lock.locked { values } }
    }
}
