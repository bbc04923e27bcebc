import Foundation
import XCTest
@testable import HelperCore

/// Every HelperError case against the code and kind PROTOCOL.md gives it, written out: clients
/// decide exit statuses and sentences from these, so a swapped pair must fail here.
final class HelperErrorCodeTests: XCTestCase {
    func testEveryCaseHasItsCodeAndKind() {
        let table: [(HelperError, Int, String)] = [
            (.invalidName("a b"), 1001, "invalidName"),
            (.notFound(what: "VM", name: "dev"), 1002, "notFound"),
            (.snapshotNotFound(vm: "dev", name: "s1"), 1002, "notFound"),
            (.missingFile(what: "kernel", path: "/k"), 1002, "notFound"),
            (.alreadyExists(what: "VM", name: "dev"), 1003, "alreadyExists"),
            (.alreadyRunning(name: "dev", pid: 7), 1004, "alreadyRunning"),
            (.invalidState(name: "dev", state: "stopped", action: "pause"), 1005, "invalidState"),
            (.corruptConfig(path: "/c", reason: "bad JSON"), 1006, "corruptConfig"),
            (.limitExceeded(what: "Memory", requested: 2, limit: 1), 1007, "limitExceeded"),
            (.io(path: "/x", errno: 5, action: "read"), 1008, "io"),
            (.diskFull(path: "/x"), 1009, "diskFull"),
            (.unsupported("Not here."), 1010, "unsupported"),
            (.backend("QEMU failed."), 1011, "backend"),
            (.cancelled("The download"), 1012, "cancelled"),
            (.hostUnreachable(name: "dev", reason: "no answer"), 1013, "hostUnreachable"),
            (.invalidParams(field: "name", message: "Name is missing."), -32602, "invalidParams"),
        ]
        for (error, code, kind) in table {
            XCTAssertEqual(error.code, code, "\(error)")
            XCTAssertEqual(error.kind, kind, "\(error)")
        }
    }

    func testErrnoPicksTheKind() {
        XCTAssertEqual(HelperError.fromErrno(ENOSPC, path: "/x", action: "write").code, 1009)
        XCTAssertEqual(HelperError.fromErrno(EIO, path: "/x", action: "write").code, 1008)
    }
}
