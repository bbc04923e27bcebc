import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The virtiofsd processes of one QEMU guest: started before qemu (which connects to their
/// sockets as it starts), each ready within a deadline, and ended with the guest. They die with
/// the host too (setpriv's parent-death signal), so none outlives its VM.
final class VirtiofsdSupervisor: @unchecked Sendable {
    static let readyDeadline: TimeInterval = 10
    private let lock = NSLock()
    private var processes: [Process] = []

    func start(_ shares: [SharedFolder], virtiofsd: String, bundle: VMBundle) throws {
        for (index, share) in shares.enumerated() {
            let socket = bundle.url.appendingPathComponent(QEMUShares.socketName(index))
            // A socket left by an earlier run would look ready; anything else there is refused.
            try SafeFile.remove(socket, .socket)
            let log = bundle.url.appendingPathComponent("virtiofs-\(index).log")
            let (process, arguments) = QEMUBackend.supervisedProcess(virtiofsd, QEMUShares.virtiofsdArguments(share, index: index), in: bundle.url)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(fileDescriptor: try SafeFile.openForWriting(log, flags: O_WRONLY | O_TRUNC),
                                               closeOnDealloc: true)
            Log.info("starting virtiofsd for share '\(share.tag)': \(arguments.joined(separator: " "))")
            do { try process.run() } catch {
                stopAll()
                throw HelperError.backend("virtiofsd could not be started for the share '\(share.tag)': \(error.localizedDescription). Check that \(virtiofsd) runs, or remove the share (vmtui configure \(bundle.name) --unshare \(share.tag)).")
            }
            lock.locked { processes.append(process) }
            let deadline = Date().addingTimeInterval(Self.readyDeadline)
            while process.isRunning && !FileManager.default.fileExists(atPath: socket.path) && Date() < deadline {
                usleep(10_000)
            }
            guard process.isRunning, FileManager.default.fileExists(atPath: socket.path) else {
                let said = String(decoding: ConsoleLog.readTail(log, maxBytes: 400), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let why = process.isRunning ? "did not open its socket within \(Int(Self.readyDeadline)) seconds" : "exited as it started"
                stopAll()
                throw HelperError.backend("virtiofsd for the share '\(share.tag)' (\(share.path)) \(why)\(said.isEmpty ? "" : "; it said: \(said)"). Check that the folder is readable, or remove the share (vmtui configure \(bundle.name) --unshare \(share.tag)).")
            }
            SafeFile.restrictSocket(socket)
        }
    }

    /// SIGTERM, then SIGKILL for any still running after a short deadline.
    func stopAll() {
        let running = lock.locked { () -> [Process] in
            let all = processes
            processes = []
            return all
        }
        for p in running where p.isRunning { p.terminate() }
        let deadline = Date().addingTimeInterval(3)
        for p in running {
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
    }
}
