import Foundation
import XCTest
@testable import HelperCore

final class VZConsolePipesTests: XCTestCase {
    func testGuestOutputReachesTheReaderAndTypingReachesTheGuest() throws {
        let pipes = try VZConsolePipes()
        let received = Locked([UInt8]())
        pipes.startReader(name: "test-console") { bytes in received.update { $0.append(contentsOf: bytes) } }

        // What the framework would do with the guest's writes.
        pipes.guestWrites.write(Data("login: ".utf8))
        XCTAssertTrue(eventually { received.current == Array("login: ".utf8) })

        XCTAssertTrue(pipes.write(Array("root\n".utf8)))
        let typed = pipes.guestReads.readData(ofLength: 5)
        XCTAssertEqual(String(decoding: typed, as: UTF8.self), "root\n")
    }

    func testAfterCloseTypingFailsAndTheReaderDrains() throws {
        let pipes = try VZConsolePipes()
        let received = Locked([UInt8]())
        pipes.startReader(name: "test-console") { bytes in received.update { $0.append(contentsOf: bytes) } }
        pipes.guestWrites.write(Data("bye\n".utf8))
        pipes.closeGuestSide()
        XCTAssertTrue(eventually { received.current == Array("bye\n".utf8) })
        XCTAssertTrue(pipes.isClosed)
        XCTAssertFalse(pipes.write(Array("x".utf8)))
        pipes.closeGuestSide()  // twice is harmless
    }
}
