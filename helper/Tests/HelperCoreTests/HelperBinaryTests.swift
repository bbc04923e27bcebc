import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `vmtui-helper` run as a child process through pipes, as the TypeScript side runs it.
final class HelperBinaryTests: XCTestCase {
    struct Child {
        let process: Process
        let peer: RawPeer          // writes the child's stdin, reads its stdout
        let stderrFD: Int32
    }

    func helperBinary() throws -> URL {
        let candidates = [
            Bundle(for: Self.self).bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            repositoryRoot.appendingPathComponent("helper/.build/debug"),
        ].map { $0.appendingPathComponent("vmtui-helper") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestTimeout(what: "the vmtui-helper binary (looked in \(candidates.map(\.path))); run 'swift build --package-path helper' first")
        }
        return found
    }

    /// A pipe whose parent-side end is not inherited by the child.
    private func makePipe(parentEnd: Int) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        precondition(pipe(&fds) == 0)
        _ = fcntl(fds[parentEnd], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    func launch(_ arguments: [String]) throws -> Child {
        let stdin = makePipe(parentEnd: 1)
        let stdout = makePipe(parentEnd: 0)
        let stderr = makePipe(parentEnd: 0)
        let process = Process()
        process.executableURL = try helperBinary()
        process.arguments = arguments
        process.standardInput = FileHandle(fileDescriptor: stdin.read, closeOnDealloc: false)
        process.standardOutput = FileHandle(fileDescriptor: stdout.write, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: stderr.write, closeOnDealloc: false)
        try process.run()
        close(stdin.read)
        close(stdout.write)
        close(stderr.write)
        return Child(process: process, peer: RawPeer(readFD: stdout.read, writeFD: stdin.write), stderrFD: stderr.read)
    }

    func finish(_ child: Child, timeout: TimeInterval = 10) -> (status: Int32, stderr: String)? {
        guard eventually(timeout: timeout, { !child.process.isRunning }) else {
            child.process.terminate()
            return nil
        }
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(child.stderrFD, &buffer, buffer.count)
            if n <= 0 { break }
            text += buffer[0..<n]
        }
        close(child.stderrFD)
        return (child.process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    func readAll(_ peer: RawPeer) -> String {
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(peer.readFD, &buffer, buffer.count)
            if n <= 0 { break }
            text += buffer[0..<n]
        }
        return String(decoding: text, as: UTF8.self)
    }

    func testVersionGoesToStdout() throws {
        let child = try launch(["--version"])
        child.peer.closeWriting()
        let end = try XCTUnwrap(finish(child))
        XCTAssertEqual(end.status, 0)
        XCTAssertEqual(readAll(child.peer), "0.1.0\n")
        XCTAssertEqual(end.stderr, "")
    }

    func testUnknownCommandIsAUsageError() throws {
        let child = try launch(["frobnicate"])
        child.peer.closeWriting()
        let end = try XCTUnwrap(finish(child))
        XCTAssertEqual(end.status, 2)
        XCTAssertTrue(end.stderr.hasPrefix("vmtui-helper: 'frobnicate' is not a command; run 'vmtui-helper help' to see the commands."), end.stderr)
        XCTAssertTrue(end.stderr.contains("usage: vmtui-helper"))
        XCTAssertEqual(readAll(child.peer), "")
    }

    func testServeAnswersAndEndsOnEndOfInput() throws {
        let child = try launch(["serve"])
        try child.peer.send(try json(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"clientName":"test","clientVersion":"0","protocolVersion":1}}"#))
        let answer = try child.peer.receive(timeout: 10)
        XCTAssertEqual(answer["result"]?["helperVersion"], .string(HelperBuild.version))
        child.peer.sendBody("not json")
        XCTAssertEqual(try child.peer.receive(timeout: 10)["error"]?["code"], .number(-32700))
        child.peer.closeWriting()
        let end = try XCTUnwrap(finish(child, timeout: 5), "serve did not exit after end of input")
        XCTAssertEqual(end.status, 0)
        // stdout carried frames only; the log line about the bad body went to stderr.
        XCTAssertEqual(readAll(child.peer), "")
        XCTAssertTrue(end.stderr.contains("vmtui-helper: "), end.stderr)
    }

    func testExitStatusFollowsShutdown() throws {
        let polite = try launch(["serve"])
        polite.peer.sendBody(#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#)
        XCTAssertEqual(try polite.peer.receive(timeout: 10)["result"], .null)
        polite.peer.sendBody(#"{"jsonrpc":"2.0","method":"exit"}"#)
        XCTAssertEqual(finish(polite)?.status, 0)

        let abrupt = try launch(["serve"])
        abrupt.peer.sendBody(#"{"jsonrpc":"2.0","method":"exit"}"#)
        XCTAssertEqual(finish(abrupt)?.status, 1)
    }
}
