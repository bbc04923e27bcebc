import Foundation
import XCTest
@testable import HelperCore

final class MessageFramerTests: XCTestCase {
    private func frame(_ body: String, header: String? = nil) -> [UInt8] {
        let bytes = Array(body.utf8)
        return Array((header ?? "Content-Length: \(bytes.count)\r\n\r\n").utf8) + bytes
    }

    private func bodies(_ data: [Data]) -> [String] {
        data.map { String(decoding: $0, as: UTF8.self) }
    }

    func testFrameFedOneByteAtATime() throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"x","params":{"s":"héllo ✓"}}"#
        var framer = MessageFramer()
        var out: [Data] = []
        let bytes = frame(body) + frame("{}")
        for (index, byte) in bytes.enumerated() {
            let got = try framer.push([byte])
            if !got.isEmpty {
                XCTAssertTrue(index == bytes.count - 1 || index == frame(body).count - 1, "a body completed early at byte \(index)")
            }
            out += got
        }
        XCTAssertEqual(bodies(out), [body, "{}"])
    }

    func testSeveralFramesInOneChunkAndASplitOne() throws {
        var framer = MessageFramer()
        let chunk = frame("[1]") + frame("[2,2]") + frame("[3,3,3]") + frame("[4444]")
        let cut = chunk.count - 4
        XCTAssertEqual(bodies(try framer.push(chunk[..<cut])), ["[1]", "[2,2]", "[3,3,3]"])
        XCTAssertEqual(bodies(try framer.push(chunk[cut...])), ["[4444]"])
        XCTAssertEqual(try framer.push([UInt8]()), [])
    }

    func testHeaderNamesInAnyCaseAndOrderWithOrWithoutContentType() throws {
        let headers = [
            "Content-Length: 2\r\n\r\n",
            "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:2\r\n\r\n",
            "X-Other: yes\r\ncOnTeNt-LeNgTh:   2  \r\n\r\n",
        ]
        for header in headers {
            var framer = MessageFramer()
            XCTAssertEqual(bodies(try framer.push(frame("{}", header: header))), ["{}"], header)
        }
    }

    func testEmptyBodyIsAFrame() throws {
        var framer = MessageFramer()
        XCTAssertEqual(try framer.push(Array("Content-Length: 0\r\n\r\n".utf8)), [Data()])
    }

    func testFrameHelperRoundTrips() throws {
        var framer = MessageFramer()
        let body = Data(#"{"a":"ü"}"#.utf8)
        let framed = MessageFramer.frame(body)
        XCTAssertTrue(String(decoding: framed, as: UTF8.self).hasPrefix("Content-Length: \(body.count)\r\n\r\n"))
        XCTAssertEqual(try framer.push(framed), [body])
    }

    private func assertBroken(_ bytes: [UInt8], _ expected: FramingError, file: StaticString = #filePath, line: UInt = #line) {
        var framer = MessageFramer()
        XCTAssertThrowsError(try framer.push(bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? FramingError, expected, file: file, line: line)
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.hasSuffix(".") ?? false, "not a sentence", file: file, line: line)
        }
    }

    func testMalformedHeaders() {
        assertBroken(Array("Content-Length 2\r\n\r\n{}".utf8), .headerLineWithoutColon("Content-Length 2"))
        assertBroken(Array("Content-Type: application/json\r\n\r\n{}".utf8), .missingContentLength)
        assertBroken(Array("\r\n\r\n{}".utf8), .missingContentLength)
        assertBroken(Array("Content-Length: abc\r\n\r\n{}".utf8), .invalidContentLength("abc"))
        assertBroken(Array("Content-Length: -2\r\n\r\n{}".utf8), .invalidContentLength("-2"))
        assertBroken(Array("Content-Length: 2.0\r\n\r\n{}".utf8), .invalidContentLength("2.0"))
        assertBroken(Array("Content-Length: \r\n\r\n{}".utf8), .invalidContentLength(""))
    }

    func testOversizedBodyIsRefusedFromTheHeader() throws {
        let limit = MessageFramer.maxBodyBytes
        assertBroken(Array("Content-Length: \(limit + 1)\r\n\r\n".utf8), .bodyTooLarge(length: limit + 1, limit: limit))
        assertBroken(Array("Content-Length: 99999999999999999999999\r\n\r\n".utf8), .bodyTooLarge(length: Int.max, limit: limit))
        var framer = MessageFramer()
        XCTAssertEqual(try framer.push(Array("Content-Length: \(limit)\r\n\r\n".utf8)), [], "exactly the limit is allowed")
    }

    func testHeaderBlockOver8KiB() throws {
        let limit = MessageFramer.maxHeaderBytes
        // Without an end in sight: refused once it passes the limit.
        var framer = MessageFramer()
        XCTAssertEqual(try framer.push(Array("X-Pad: ".utf8)), [])
        XCTAssertThrowsError(try framer.push([UInt8](repeating: 65, count: limit))) { error in
            XCTAssertEqual(error as? FramingError, .headerTooLarge(limit: limit))
        }
        // Complete but too long.
        let pad = String(repeating: "a", count: limit)
        assertBroken(frame("{}", header: "X-Pad: \(pad)\r\nContent-Length: 2\r\n\r\n"), .headerTooLarge(limit: limit))
        // Just under the limit is fine.
        let fits = "Content-Length: 2\r\nX-Pad: "
        let filler = String(repeating: "b", count: limit - fits.utf8.count - 4)
        var ok = MessageFramer()
        XCTAssertEqual(bodies(try ok.push(frame("{}", header: fits + filler + "\r\n\r\n"))), ["{}"])
    }
}
