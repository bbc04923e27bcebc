import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository's root, found from this file (never an absolute path).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // HelperCoreTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // helper
    .deletingLastPathComponent()

func json(_ text: String) throws -> JSONValue {
    try JSONCoding.decode(JSONValue.self, from: Data(text.utf8))
}

/// A value set from another thread, read under a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ newValue: Value) { lock.lock(); value = newValue; lock.unlock() }
    func update(_ body: (inout Value) -> Void) { lock.lock(); body(&value); lock.unlock() }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "Timed out waiting for \(what)." }
}

/// The far end of a connection, speaking raw frames: what a client like vscode-jsonrpc would send.
final class RawPeer {
    let readFD: Int32
    private(set) var writeFD: Int32
    private var framer = MessageFramer()
    private var ready: [Data] = []

    init(readFD: Int32, writeFD: Int32) {
        self.readFD = readFD
        self.writeFD = writeFD
    }

    deinit {
        close(readFD)
        if writeFD >= 0 { close(writeFD) }
    }

    func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(writeFD, $0.baseAddress, $0.count) }
            precondition(n > 0, "test pipe write failed")
            offset += n
        }
    }

    func sendBody(_ body: String) {
        sendRaw(Array(MessageFramer.frame(Data(body.utf8))))
    }

    func send(_ message: JSONValue) throws {
        sendRaw(Array(MessageFramer.frame(try JSONCoding.encode(message))))
    }

    /// Closes our writing end: the other side sees end of input.
    func closeWriting() {
        close(writeFD)
        writeFD = -1
    }

    /// The next message, as JSON; throws on timeout or end of stream.
    func receive(timeout: TimeInterval = 5) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        while ready.isEmpty {
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var pfd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, left) > 0 else { throw TestTimeout(what: "a message") }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(readFD, &buffer, buffer.count)
            guard n > 0 else { throw TestTimeout(what: "a message (the stream ended)") }
            ready += try framer.push(buffer[0..<n])
        }
        return try JSONCoding.decode(JSONValue.self, from: ready.removeFirst())
    }

    /// True when the other side closed its writing end and nothing more came.
    func sawEndOfStream(timeout: TimeInterval = 5) -> Bool {
        var pfd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout * 1000)) > 0 else { return false }
        var byte: UInt8 = 0
        return read(readFD, &byte, 1) == 0
    }
}

/// Two pipes: one Connection end (input/output descriptors) and one RawPeer end.
func makePipePair() -> (connectionInput: Int32, connectionOutput: Int32, peer: RawPeer) {
    var toConnection: [Int32] = [-1, -1]
    var toPeer: [Int32] = [-1, -1]
    precondition(pipe(&toConnection) == 0 && pipe(&toPeer) == 0, "pipe failed")
    return (toConnection[0], toPeer[1], RawPeer(readFD: toPeer[0], writeFD: toConnection[1]))
}

func makeSocketPair() -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    #if canImport(Glibc)
    let type = Int32(SOCK_STREAM.rawValue)
    #else
    let type = SOCK_STREAM
    #endif
    precondition(socketpair(AF_UNIX, type, 0, &fds) == 0, "socketpair failed")
    return (fds[0], fds[1])
}
