import Foundation
import XCTest
@testable import HelperCore

final class HostProcessTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try temporaryFolder("hostproc", create: false)
        try FileOps.makeDirectory(dir)
    }


    func testUTF8ChunkerNeverSplitsASequence() {
        let text = "né → 🙂 ok"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var chunker = UTF8Chunker()
            let joined = chunker.push(Array(bytes[..<cut])) + chunker.push(Array(bytes[cut...]))
            XCTAssertEqual(joined, text, "cut at \(cut)")
        }
        var one = UTF8Chunker()
        XCTAssertEqual(bytes.map { one.push([$0]) }.joined(), text, "one byte at a time")
    }

    func testConsoleLogDropsTheOldestHalfPastItsCap() throws {
        let log = try ConsoleLog(url: dir.appendingPathComponent("console.log"), capBytes: 1000)
        for i in 0..<30 { log.append(Array(String(format: "line %03d ..................................\n", i).utf8)) }
        let size = FileOps.logicalSize(log.url)
        XCTAssertLessThanOrEqual(size, 1000)
        let text = try String(contentsOf: log.url, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("line 029 ..................................\n"), "newest lines are kept")
        XCTAssertFalse(text.contains("line 000"), "oldest lines are dropped")
        XCTAssertEqual(String(decoding: log.tail(maxBytes: 9), as: UTF8.self), String(text.suffix(9)))
    }

    func testEventLogKeepsOrderAndSkipsATornLine() throws {
        let url = dir.appendingPathComponent("events.jsonl")
        let log = EventLog(url: url)
        log.append(VMEvent(state: .starting))
        log.append(VMEvent(state: .running))
        let handle = try FileHandle(forWritingTo: url)
        _ = try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"time\":\"x\",\"sta".utf8))  // a write cut short by a crash
        try handle.close()
        log.append(VMEvent(state: .error, reason: "QEMU was killed by signal 9."))
        XCTAssertEqual(log.recent().map(\.state), [.starting, .running, .error], "the torn line is skipped, the next event kept")
        XCTAssertEqual(log.last?.reason, "QEMU was killed by signal 9.")
    }

    func testVMLimitsGiveTheLimit() {
        let l = VMLimits(hostCores: 4, hostMemoryBytes: 8 << 30, freeDiskBytes: 10 << 30)
        XCTAssertNoThrow(try l.checkCPU(4))
        XCTAssertThrowsError(try l.checkCPU(5)) { XCTAssertEqual($0 as? HelperError, .limitExceeded(what: "cpuCount", requested: 5, limit: 4)) }
        XCTAssertThrowsError(try l.checkCPU(0)) { XCTAssertEqual(($0 as? HelperError)?.kind, "invalidParams") }
        XCTAssertThrowsError(try l.checkMemory(0)) { XCTAssertEqual(($0 as? HelperError)?.kind, "invalidParams") }
        XCTAssertThrowsError(try l.checkMemory(9 << 30)) { XCTAssertTrue(($0 as? HelperError)?.message.contains("limit \(8 << 30)") ?? false) }
        XCTAssertNoThrow(try l.checkDisk(20 << 30, growth: 20 << 30, sparseOvercommit: true))
        XCTAssertThrowsError(try l.checkDisk(20 << 30, growth: 20 << 30, sparseOvercommit: false)) { XCTAssertEqual(($0 as? HelperError)?.kind, "limitExceeded") }
        XCTAssertThrowsError(try l.checkDisk((1 << 20) + 1, growth: 0, sparseOvercommit: true)) { XCTAssertTrue(($0 as? HelperError)?.message.contains("512") ?? false) }
    }
}
