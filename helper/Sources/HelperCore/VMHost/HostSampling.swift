import Foundation

/// `host/sample` on a per-VM host: its guest's process measured now (PROTOCOL.md, "Monitoring").
enum HostSampling {
    /// How long a sample waits, once the guest's process is gone, for the host to learn how it ended.
    static let outcomeWait: TimeInterval = 0.5

    /// - Parameters:
    ///   - startDate: when the host started; the uptime while there is no process to ask.
    ///   - pausedSeconds: time the guest spent paused, left out of its uptime.
    ///   - outcome: how the guest ended, once the backend has said (nil while it runs).
    static func sample(status: HostStatus, startDate: Date, pausedSeconds: TimeInterval = 0,
                       outcome: () -> BackendStop?,
                       measure: (Int32) throws -> ProcessSample = ProcessSampler.sample) -> HostSample {
        var sample = HostSample(state: status.state, cpuSeconds: 0, residentBytes: 0, vmPid: status.vmPid,
                                uptimeSeconds: max(0, Date().timeIntervalSince(startDate) - pausedSeconds),
                                address: status.address, sshAddress: status.sshAddress, error: nil)
        guard let pid = status.vmPid else {
            if status.state != .stopped && status.state != .error {
                sample.error = "The process running the guest has not been found yet, so its CPU and memory are not known; they show once it is."
            }
            return sample
        }
        do {
            let measured = try measure(pid)
            sample.cpuSeconds = measured.cpuSeconds
            sample.residentBytes = measured.residentBytes
            sample.uptimeSeconds = max(0, measured.ageSeconds - pausedSeconds)
        } catch ProcessSampleError.gone(let pid) {
            // The host learns of the exit a moment later; say how it ended when it does.
            let deadline = Date().addingTimeInterval(outcomeWait)
            var how = outcome()
            while how == nil && Date() < deadline {
                usleep(20_000)
                how = outcome()
            }
            switch how {
            case .failed(let reason):
                sample.state = .error
                sample.error = reason
            case .guestShutdown, .forced:
                sample.state = .stopped
            case nil:
                sample.state = .error
                sample.error = "The process running the guest (pid \(pid)) has exited and its host is ending the VM; host.log in the VM's folder says why, and the VM can be started again once it shows as stopped or error."
            }
        } catch {
            sample.error = "\(error)"
        }
        return sample
    }
}
