import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts `vmtui-helper host <bundle>` in a new session, so closing the terminal, the TUI or the
/// serve process leaves the VM running, and waits for the host's one-line ready report.
public enum HostLauncher {
    /// This executable (the helper), which is also the host.
    public static func helperExecutable() -> String {
        #if os(Linux)
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// What the host does: boot the guest, or run the backend's installer (`host DIR --install`).
    public enum Mode: Sendable { case boot, install }

    public static func start(_ bundle: VMBundle, mode: Mode = .boot, timeout: TimeInterval = 90) throws -> HostStatus {
        guard let ready = Posix.makePipe() else { throw HelperError.fromErrno(errno, path: "pipe", action: "create") }
        let exe = helperExecutable()
        let pid: pid_t
        do {
            let log = try SafeFile.openForWriting(bundle.hostLog)
            defer { Posix.close(log) }
            pid = try spawnDetached(exe, ["host", bundle.url.path] + (mode == .install ? ["--install"] : []), stdoutFD: ready.write, stderrFD: log)
        } catch {
            Posix.close(ready.read); Posix.close(ready.write)
            throw error
        }
        Posix.close(ready.write)
        // Reap the host if it exits while this serve process still lives.
        Thread.detachNewThread { var status: Int32 = 0; _ = waitpid(pid, &status, 0) }
        defer { Posix.close(ready.read) }
        guard let line = readLine(ready.read, timeout: timeout) else {
            let tail = String(decoding: ConsoleLog.readTail(bundle.hostLog, maxBytes: 400), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw HelperError.backend("The host process for VM '\(bundle.name)' exited before it was ready. \(tail.isEmpty ? "" : "It said: \(tail) ")See \(bundle.hostLog.path).")
        }
        if line.hasPrefix("ok "), let status = try? JSONCoding.decode(HostStatus.self, from: Data(line.dropFirst(3).utf8)) {
            return status
        }
        if line.hasPrefix("error "), let rpc = try? JSONCoding.decode(RPCErrorObject.self, from: Data(line.dropFirst(6).utf8)) {
            throw rpc
        }
        throw HelperError.backend("The host process for VM '\(bundle.name)' sent an unreadable start report; see \(bundle.hostLog.path).")
    }

    private static func readLine(_ fd: Int32, timeout: TimeInterval) -> String? {
        var data = Data()
        var byte: UInt8 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 250)
            if ready < 0 && errno != EINTR { return nil }
            if ready <= 0 { continue }
            let n = withUnsafeMutableBytes(of: &byte) { Posix.read(fd, into: $0) }
            if n <= 0 { return nil }
            if byte == 0x0A { return String(decoding: data, as: UTF8.self) }
            data.append(byte)
        }
        return nil
    }

    /// The host in a new session (SystemCalls.SpawnCalls), its stderr appended to host.log (opened
    /// by the caller through SafeFile).
    private static func spawnDetached(_ exe: String, _ args: [String], stdoutFD: Int32, stderrFD log: Int32) throws -> pid_t {
        switch SpawnCalls.detached(exe, args, stdoutFD: stdoutFD, stderrFD: log) {
        case .success(let pid): return pid
        case .failure(let failure): throw HelperError.fromErrno(failure.errno, path: exe, action: "start")
        }
    }
}
