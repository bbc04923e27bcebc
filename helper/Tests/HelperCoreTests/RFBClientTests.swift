import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake RFB server on the other end of a socket pair: it speaks the server's side of the
/// handshake and whatever updates a test writes, and records the client's messages. The real
/// server (QEMU's) is crossed by test/e2e/vm-screen.test.ts.
final class FakeRFBServer: @unchecked Sendable {
    let fd: Int32
    let reader: RFBReader
    let messages = Locked<[(type: UInt8, body: [UInt8])]>([])

    init(fd: Int32) {
        self.fd = fd
        reader = RFBReader(fd: fd)
        reader.deadline = Date().addingTimeInterval(20)
    }

    func send(_ bytes: [UInt8]) { XCTAssertEqual(Posix.writeAll(fd, Data(bytes)), 0) }

    /// Handshake: version, security `types`, the challenge if VNC Authentication was chosen.
    func greet(types: [UInt8], password: String?, width: Int, height: Int) throws -> Bool {
        send(Array("RFB 003.008\n".utf8))
        XCTAssertEqual(String(decoding: try reader.bytes(12), as: UTF8.self), "RFB 003.008\n")
        send([UInt8(types.count)] + types)
        let chosen = try reader.u8()
        if chosen == 2 {
            let challenge = (0..<16).map { _ in UInt8.random(in: 0...255) }
            send(challenge)
            let answer = try reader.bytes(16)
            guard answer == VNCAuth.response(challenge: challenge, password: password ?? "") else {
                let why = Array("wrong password".utf8)
                send(cat(RFBMessages.be32(1), RFBMessages.be32(UInt32(why.count)), why))
                return false
            }
        }
        send(RFBMessages.be32(0))
        XCTAssertEqual(try reader.u8(), 1, "ClientInit asks to share the screen")
        send(cat(RFBMessages.be16(width), RFBMessages.be16(height), [UInt8](repeating: 0, count: 16), RFBMessages.be32(4), Array("fake".utf8)))
        Thread { [self] in recordClient() }.start()
        return true
    }

    private func recordClient() {
        reader.deadline = nil
        while true {
            guard let type = try? reader.u8() else { return }
            let body: [UInt8]?
            switch type {
            case 0: body = try? reader.bytes(19)
            case 2: body = (try? reader.bytes(3)).flatMap { head in (try? reader.bytes((Int(head[1]) << 8 | Int(head[2])) * 4)).map { _ in head } }
            case 3: body = try? reader.bytes(9)
            case 4: body = try? reader.bytes(7)
            default: body = nil
            }
            guard let body else { return }
            messages.update { $0.append((type, body)) }
        }
    }

    func rect(x: Int, y: Int, w: Int, h: Int, encoding: Int32) -> [UInt8] {
        cat(RFBMessages.be16(x), RFBMessages.be16(y), RFBMessages.be16(w), RFBMessages.be16(h), RFBMessages.be32(UInt32(bitPattern: encoding)))
    }

    /// A FramebufferUpdate of `rects` (each its header and data).
    func update(_ rects: [UInt8]...) { send(cat([0, 0], RFBMessages.be16(rects.count), rects.flatMap { $0 })) }

    /// Raw pixels from RGB triples, as the client's pixel format (R, G, B, pad).
    func raw(_ rgb: [[UInt8]]) -> [UInt8] { rgb.flatMap { $0 + [0] } }
}

/// Byte arrays joined (one call, so the type checker has no chain of `+` to solve).
func cat(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }

final class RFBClientTests: XCTestCase {
    func pair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        #if canImport(Glibc)
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds), 0)
        #else
        XCTAssertEqual(socketpair(AF_UNIX, SOCK_STREAM, 0, &fds), 0)
        #endif
        return (fds[0], fds[1])
    }

    /// Waits for a condition with a generous ceiling (a hang fails instead of blocking the suite).
    func eventually(_ what: String, _ check: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while try !check() {
            if Date() > deadline { return XCTFail("timed out waiting for \(what)") }
            usleep(5_000)
        }
    }

    func testDESMatchesTheStandardVector() {
        let des = DES(key: [0x13, 0x34, 0x57, 0x79, 0x9B, 0xBC, 0xDF, 0xF1])
        XCTAssertEqual(des.encrypt([0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]), [0x85, 0xE8, 0x13, 0x54, 0x0F, 0x0A, 0xB4, 0x05])
        XCTAssertEqual(VNCAuth.mirror(0b0000_0001), 0b1000_0000)
        XCTAssertEqual(VNCAuth.mirror(0b1100_1010), 0b0101_0011)
    }

    func testPasswordHandshakeRawCopyRectResizeAndKeys() throws {
        let (a, b) = pair()
        let server = FakeRFBServer(fd: b)
        defer { Posix.close(b) }
        let ok = Locked<Bool?>(nil)
        Thread { ok.set((try? server.greet(types: [1, 2], password: "s3cret", width: 4, height: 2)) ?? false) }.start()
        let client = try RFBClient(fd: a, password: "s3cret", timeout: 20)
        defer { client.close() }
        try eventually("the handshake") { ok.current != nil }
        XCTAssertEqual(ok.current, true, "VNC Authentication was chosen and the DES answer accepted")
        XCTAssertEqual(client.serverName, "fake")
        try eventually("SetPixelFormat, SetEncodings and a full update request") { server.messages.current.count >= 3 }
        let first = server.messages.current
        XCTAssertEqual(first.map(\.type), [0, 2, 3])
        XCTAssertEqual(Array(first[0].body[3..<7]), [32, 24, 0, 1], "32 bits a pixel, true colour")
        XCTAssertEqual(first[2].body[0], 0, "the first update request is not incremental")

        // A 4×2 raw picture, then the bottom-left 2×1 copied to the top right.
        let red: [UInt8] = [255, 0, 0], green: [UInt8] = [0, 255, 0], blue: [UInt8] = [0, 0, 255], white: [UInt8] = [255, 255, 255]
        server.update(cat(server.rect(x: 0, y: 0, w: 4, h: 2, encoding: 0), server.raw([red, red, red, red, blue, white, green, green])),
                      cat(server.rect(x: 2, y: 0, w: 2, h: 1, encoding: 1), RFBMessages.be16(0), RFBMessages.be16(1)))
        let shot = try client.snapshot(timeout: 20)
        XCTAssertEqual(shot.frame.width, 4)
        XCTAssertEqual(shot.frame.pixels, cat(red, red, blue, white, blue, white, green, green))

        // Scaling is memoised until the next update arrives.
        let s1 = try client.scaled(maxWidth: 2, maxHeight: 1)
        XCTAssertEqual(try client.scaled(maxWidth: 2, maxHeight: 1).digest, s1.digest)
        XCTAssertEqual(s1.frame.width, 2)

        // The guest changes resolution: DesktopSize, then a non-incremental request for the new size.
        let before = server.messages.current.count
        server.update(server.rect(x: 0, y: 0, w: 2, h: 2, encoding: -223))
        try eventually("a full request after the resize") {
            server.messages.current.dropFirst(before).contains { $0.type == 3 && $0.body[0] == 0 && $0.body[5..<9] == [0, 2, 0, 2] }
        }
        server.update(cat(server.rect(x: 0, y: 0, w: 2, h: 2, encoding: 0), server.raw([green, green, green, green])))
        try eventually("the resized picture") { try client.snapshot().frame.pixels == cat(green, green, green, green) }
        let s2 = try client.scaled(maxWidth: 2, maxHeight: 1)
        XCTAssertEqual(s2.sourceWidth, 2)
        XCTAssertNotEqual(s2.digest, s1.digest)

        // Ctrl-a: down in order, up in reverse.
        let keysBefore = server.messages.current.count
        try client.sendKeys([[0xFFE3, 0x61]])
        try eventually("four key events") { server.messages.current.dropFirst(keysBefore).filter { $0.type == 4 }.count == 4 }
        let keys = server.messages.current.dropFirst(keysBefore).filter { $0.type == 4 }.map { [$0.body[0], $0.body[6]] }
        XCTAssertEqual(keys, [[1, 0xE3], [1, 0x61], [0, 0x61], [0, 0xE3]])
    }

    func testWrongPasswordIsASentence() throws {
        let (a, b) = pair()
        let server = FakeRFBServer(fd: b)
        defer { Posix.close(b) }
        Thread { _ = try? server.greet(types: [2], password: "right", width: 4, height: 2) }.start()
        XCTAssertThrowsError(try RFBClient(fd: a, password: "wrong", timeout: 20)) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("did not accept vmtui's password (wrong password)") ?? false, "\(error)")
        }
    }

    func testServerThatNeedsAPasswordWeDoNotHave() throws {
        let (a, b) = pair()
        let server = FakeRFBServer(fd: b)
        defer { Posix.close(b) }
        Thread { _ = try? server.greet(types: [2], password: "x", width: 4, height: 2) }.start()
        XCTAssertThrowsError(try RFBClient(fd: a, password: nil, timeout: 20)) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("asks for a password") ?? false, "\(error)")
        }
    }

    func testSilentServerHitsTheDeadline() throws {
        let (a, b) = pair()
        defer { Posix.close(b) }
        XCTAssertThrowsError(try RFBClient(fd: a, password: nil, timeout: 0.2)) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("did not answer") ?? false, "\(error)")
        }
    }
}
