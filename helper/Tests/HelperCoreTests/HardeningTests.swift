import Foundation
import XCTest
@testable import HelperCore

/// Issue #11 below the end-to-end tests: SafeFile, bare-LF framing, deadlines on requests, and
/// the JSON text Foundation's decoder would trap on.
final class HardeningTests: XCTestCase {
    var dir: URL!
    var outside: URL!

    override func setUpWithError() throws {
        dir = try temporaryFolder("harden")
        outside = dir.appendingPathComponent("outside.txt")
        try Data("outside\n".utf8).write(to: outside)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
    }


    private func assertRefused(_ what: String, found: String, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case .notAFile(let path, let f, _)? = error as? HelperError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(path.hasSuffix(what), path, file: file, line: line)
            XCTAssertEqual(f, found, file: file, line: line)
            XCTAssertEqual((error as? HelperError)?.code, 1008, file: file, line: line)
        }
        XCTAssertEqual(try? String(contentsOf: outside, encoding: .utf8), "outside\n", "the outside file is untouched", file: file, line: line)
    }

    func testSafeFileRefusesLinksFifosAndFoldersAndWritesNothingThroughThem() throws {
        let target = dir.appendingPathComponent("b/console.log")
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: outside)
        assertRefused("console.log", found: "a symbolic link") { _ = try SafeFile.openForWriting(target) }
        assertRefused("console.log", found: "a symbolic link") { try SafeFile.setLength(target, 0) }
        assertRefused("console.log", found: "a symbolic link") { try SafeFile.remove(target, .socket) }
        // A rename onto the link is refused too: it would not write through it, but it is not ours to replace.
        let tmp = dir.appendingPathComponent("b/.tmp")
        try Data("x".utf8).write(to: tmp)
        assertRefused("console.log", found: "a symbolic link") { try SafeFile.replace(target, with: tmp) }
        try FileManager.default.removeItem(at: target)

        XCTAssertEqual(mkfifo(target.path, 0o600), 0)
        assertRefused("console.log", found: "a FIFO") { _ = try SafeFile.openForWriting(target) }  // and does not block
        try FileManager.default.removeItem(at: target)

        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        assertRefused("console.log", found: "a folder") { _ = try SafeFile.openForWriting(target) }
    }

    func testAFolderThatIsALinkIsRefused() throws {
        let real = dir.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
        let linked = dir.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: real)
        XCTAssertThrowsError(try SafeFile.openForWriting(linked.appendingPathComponent("events.jsonl"))) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "io")
            XCTAssertTrue((error as? HelperError)?.message.contains("is a symbolic link where vmtui keeps a folder") == true, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: real.path), [])
    }

    func testSafeFileCreatesOwnerOnlyFilesAndFoldersEvenWithUmask000() throws {
        let old = umask(0)
        defer { umask(old) }
        let folder = dir.appendingPathComponent("b/new")
        try SafeFile.makeFolder(folder)
        let fd = try SafeFile.openForWriting(folder.appendingPathComponent("host.log"))
        close(fd)
        func mode(_ url: URL) throws -> Int { try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int }
        XCTAssertEqual(try mode(folder), 0o700)
        XCTAssertEqual(try mode(folder.appendingPathComponent("host.log")), 0o600)
        try FileOps.atomicWrite(Data("{}".utf8), to: folder.appendingPathComponent("config.json"))
        XCTAssertEqual(try mode(folder.appendingPathComponent("config.json")), 0o600)
    }

    func testBareLineFeedIsRefusedAtOnceEvenFedByteByByte() {
        for header in ["Content-Length: 2\n\n{}", "Content-Length: 2\r\nX: y\n\r\n{}", "\n"] {
            var framer = MessageFramer()
            var thrown: Error?
            for byte in Array(header.utf8) {
                do { _ = try framer.push([byte]) } catch { thrown = error; break }
            }
            XCTAssertEqual(thrown as? FramingError, .bareLineFeed, header.debugDescription)
        }
        var ok = MessageFramer()
        XCTAssertEqual(try ok.push(Array("Content-Length: 2\r\n\r\n{}".utf8)).count, 1)
        XCTAssertTrue(FramingError.bareLineFeed.localizedDescription.contains("bare LF"))
    }

    func testABareLineFeedGetsAnErrorFrameBeforeTheConnectionCloses() throws {
        let pair = makePipePair()
        let connection = Connection(input: pair.connectionInput, output: pair.connectionOutput, name: "lf", ownsDescriptors: true)
        connection.start(router: Router())
        pair.peer.sendRaw(Array("Content-Length: 2\n\n{}".utf8))
        let reply = try pair.peer.receive()
        XCTAssertEqual(reply["error"]?["code"], .number(-32700))
        guard case .string(let message)? = reply["error"]?["message"] else { return XCTFail("\(reply)") }
        XCTAssertTrue(message.contains("bare LF"), message)
        XCTAssertTrue(pair.peer.sawEndOfStream())
    }

    func testARequestReadAfterItsDeadlineIsNotCarriedOut() throws {
        let pair = makePipePair()
        let ran = Locked(false)
        let router = Router()
        router.register(TestMethod.Act.self) { _, _ -> String in ran.set(true); return "done" }
        let connection = Connection(input: pair.connectionInput, output: pair.connectionOutput, name: "late", ownsDescriptors: true)
        connection.start(router: router)
        let past = (Date().timeIntervalSince1970 - 5) * 1000
        try pair.peer.send(try json(#"{"jsonrpc":"2.0","id":1,"method":"test/act","params":{"deadlineMs":\#(past)}}"#))
        let reply = try pair.peer.receive()
        XCTAssertEqual(reply["error"]?["data"]?["kind"], .string("cancelled"))
        XCTAssertFalse(ran.current, "the late request was dropped")
        let future = (Date().timeIntervalSince1970 + 60) * 1000
        try pair.peer.send(try json(#"{"jsonrpc":"2.0","id":2,"method":"test/act","params":{"deadlineMs":\#(future)}}"#))
        XCTAssertEqual(try pair.peer.receive()["result"], .string("done"))
        XCTAssertTrue(ran.current)
        connection.close()
    }

    func testAnOutgoingRequestTimesOutAndALateAnswerIsIgnored() async throws {
        let (a, b) = makeSocketPair()
        let connection = Connection(input: a, output: a, name: "slow-peer", ownsDescriptors: true)
        connection.start()
        defer { connection.close(); close(b) }
        let started = Date()
        do {
            _ = try await connection.request("host/status", params: .object([:]), timeout: 0.3)
            XCTFail("no answer was ever sent")
        } catch let error as ConnectionError {
            guard case .timedOut(_, "host/status", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        // The request carried its deadline for the peer to check.
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(b, &buffer, buffer.count)
        XCTAssertTrue(String(decoding: buffer[0..<max(0, n)], as: UTF8.self).contains("\"deadlineMs\""))
        // A late answer finds no waiter and is ignored.
        let late = Array(MessageFramer.frame(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)))
        XCTAssertEqual(late.withUnsafeBytes { write(b, $0.baseAddress, $0.count) }, late.count)
        XCTAssertFalse(connection.isClosed)
    }

    func testJSONTextFoundationWouldTrapOnIsRefused() {
        let bad: [[UInt8]] = [
            Array(#"{"a":"\#u{7}"}"#.utf8),           // raw control character
            [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D],  // invalid UTF-8 in a string
            Array(#"{"a":"\x"}"#.utf8),               // unknown escape
            Array(#"{"a":"\uD800"}"#.utf8),           // lone high surrogate
            Array(#"{"a":"\uDC00x"}"#.utf8),          // lone low surrogate
            Array(#"{"a":"\u12"}"#.utf8),             // short \u escape
        ]
        for bytes in bad {
            XCTAssertNotNil(JSONTextCheck.problem(in: Data(bytes)), String(decoding: bytes, as: UTF8.self))
            XCTAssertThrowsError(try JSONCoding.decode(JSONValue.self, from: Data(bytes)))
        }
        for good in [#"{"a":"\uD83D\uDE00 \" \\ \/ \n é"}"#, "[1,2,{}]", #""""#] {
            XCTAssertNil(JSONTextCheck.problem(in: Data(good.utf8)), good)
            XCTAssertNoThrow(try JSONCoding.decode(JSONValue.self, from: Data(good.utf8)))
        }
    }

    func testTheFuzzerIsReplayableAndFindsNothingInAShortRun() throws {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let maker = FrameMaker(methods: ["vm/list", "host/status"])
        for _ in 0..<200 { XCTAssertEqual(maker.make(&a).frame, maker.make(&b).frame) }
        let counts = try FrameFuzzer.run(target: .host, seed: 3, count: 300)
        XCTAssertEqual(counts.frames, 300)
        XCTAssertEqual(counts.hangs, 0)
        XCTAssertGreaterThan(counts.answered, 0)
        XCTAssertGreaterThan(counts.closedByPeer, 0)
    }
}
