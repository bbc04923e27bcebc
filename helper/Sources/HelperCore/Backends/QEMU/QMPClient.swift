import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client of QEMU's machine protocol (QMP): newline-delimited JSON on a unix socket.
/// Commands are matched to replies by id; events go to `onEvent` on the reader thread.
public final class QMPClient: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var nextId = 1
    private var waiting: [Int: (Result<JSONValue, HelperError>) -> Void] = [:]
    private var closed = false
    private var greeted = false
    private let greeting = DispatchSemaphore(value: 0)
    public var onEvent: (@Sendable (String, JSONValue) -> Void)?

    /// Connects (qemu creates the socket shortly after it starts) and completes the handshake.
    public init(path: String, timeout: TimeInterval = 10) throws {
        fd = try UnixSocket.connect(path, timeout: timeout)
        let thread = Thread { [weak self] in self?.readLoop() }
        thread.name = "qmp-reader"
        thread.start()
        guard greeting.wait(timeout: .now() + timeout) == .success else {
            throw HelperError.backend("QEMU did not greet on its QMP socket within \(Int(timeout)) s.")
        }
        _ = try execute("qmp_capabilities")
    }

    deinit { Posix.close(fd) }

    /// Runs a command and waits for its reply; a QMP error becomes `backend` with QEMU's words.
    @discardableResult
    public func execute(_ command: String, arguments: [String: JSONValue]? = nil, timeout: TimeInterval = 30) throws -> JSONValue {
        try execute(command, arguments: arguments, timeout: timeout, passing: nil)
    }

    /// The same, with a descriptor attached to the command (SCM_RIGHTS), as `add-fd` wants.
    @discardableResult
    public func execute(_ command: String, arguments: [String: JSONValue]?, timeout: TimeInterval = 30, passing fd: Int32?) throws -> JSONValue {
        let done = DispatchSemaphore(value: 0)
        var outcome: Result<JSONValue, HelperError> = .failure(.backend("QEMU did not answer '\(command)' within \(Int(timeout)) s."))
        lock.lock()
        if closed {
            lock.unlock()
            throw HelperError.backend("QEMU's QMP connection is closed (QEMU has exited).")
        }
        let id = nextId
        nextId += 1
        waiting[id] = { result in outcome = result; done.signal() }
        lock.unlock()

        var message: [String: JSONValue] = ["execute": .string(command), "id": .number(Double(id))]
        if let arguments { message["arguments"] = .object(arguments) }
        var line = (try? JSONCoding.encode(JSONValue.object(message))) ?? Data()
        line.append(0x0A)
        let failed = fd.map { DescriptorPassing.send(self.fd, Array(line), passing: $0) != 0 } ?? (Posix.writeAll(self.fd, line) != 0)
        if failed {
            lock.lock(); waiting[id] = nil; lock.unlock()
            throw HelperError.backend("Could not send '\(command)' to QEMU (its QMP socket is closed).")
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            lock.lock(); waiting[id] = nil; lock.unlock()
        }
        return try outcome.get()
    }

    /// Closes the socket; pending commands fail.
    public func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func readLoop() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n <= 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            while let nl = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<nl]
                pending = Data(pending[(nl + 1)...])
                if let value = try? JSONCoding.decode(JSONValue.self, from: Data(line)) { handle(value) }
            }
        }
        lock.lock()
        closed = true
        let callbacks = Array(waiting.values)
        waiting.removeAll()
        lock.unlock()
        callbacks.forEach { $0(.failure(.backend("QEMU closed its QMP connection (QEMU has exited)."))) }
    }

    private func handle(_ message: JSONValue) {
        if message["QMP"] != nil {
            if !greeted { greeted = true; greeting.signal() }
            return
        }
        if case .string(let event)? = message["event"] {
            onEvent?(event, message["data"] ?? .null)
            return
        }
        guard case .number(let idNumber)? = message["id"] else { return }
        lock.lock()
        let callback = waiting.removeValue(forKey: Int(idNumber))
        lock.unlock()
        if let ret = message["return"] {
            callback?(.success(ret))
        } else {
            var text = "QEMU refused the command"
            if case .string(let desc)? = message["error"]?["desc"] { text += ": \(desc)" }
            callback?(.failure(.backend(text + ".")))
        }
    }
}
