import Foundation
import XCTest
@testable import HelperCore

/// A real Connection + the serve router on one end of two pipes, raw frames on the other.
final class ServeConnectionTests: XCTestCase {
    var peer: RawPeer!
    var connection: Connection!
    var session: ServeSession!
    var router: Router!
    let closeReason = Locked<CloseReason?>(nil)
    let gate = Locked(false)
    let blockers = DispatchSemaphore(value: 0)

    override func setUp() {
        let pair = makePipePair()
        peer = pair.peer
        session = ServeSession()
        let router = Serve.makeRouter(session: session)
        self.router = router
        let gate = self.gate
        // Test-only methods: one that waits for the gate, one that answers at once.
        router.register(TestMethod.Slow.self) { _, _ async throws -> String in
            while !gate.current {
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            return "slow"
        }
        router.register(TestMethod.Fast.self) { _, _ in "fast" }
        let blockers = self.blockers
        router.register(TestMethod.Block.self) { _, _ -> String in
            // Blocks its thread outright, like a handler waiting on a process.
            _ = blockers.wait(timeout: .now() + 10)
            return "unblocked"
        }
        router.register(TestMethod.Fail.self) { _, _ -> String in
            throw HelperError.notFound(what: "VM", name: "ghost")
        }
        router.register(TestMethod.Crash.self) { _, _ -> String in
            throw CocoaError(.fileReadCorruptFile)
        }
        connection = Connection(input: pair.connectionInput, output: pair.connectionOutput, name: "test", ownsDescriptors: true)
        let reason = closeReason
        connection.start(router: router) { reason.set($0) }
    }

    override func tearDown() {
        gate.set(true)
        connection.close()
        XCTAssertTrue(eventually { closeReason.current != nil }, "the connection did not close")
        peer = nil
    }

    func request(_ id: Int, _ method: String, _ params: String? = nil) {
        let paramsPart = params.map { #","params":\#($0)"# } ?? ""
        peer.sendBody(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"\#(paramsPart)}"#)
    }

    func testInitialize() throws {
        request(1, "initialize", #"{"clientName":"vmtui","clientVersion":"0.1.0","protocolVersion":1}"#)
        let answer = try peer.receive()
        XCTAssertEqual(answer["id"], .number(1))
        let result = try XCTUnwrap(answer["result"]).decode(as: InitializeResult.self)
        XCTAssertEqual(result.helperVersion, "0.1.0")
        XCTAssertEqual(result.protocolVersion, 1)
        XCTAssertEqual(result.platform, HelperBuild.platform)
        XCTAssertEqual(result.backend, HelperBuild.backend)
        XCTAssertEqual(result.arch, Arch.current)
        XCTAssertTrue(result.capabilities.linuxGuests)
        let methods = result.capabilities.methods
        XCTAssertEqual(methods, methods.sorted())
        XCTAssertTrue(Set(["initialize", "shutdown", "host/info", "test/slow"]).isSubset(of: Set(methods)))
        XCTAssertFalse(methods.contains("exit"), "exit is a notification, not answered")
        #if os(Linux)
        XCTAssertEqual(result.platform, .linux)
        XCTAssertEqual(result.backend, .qemu)
        XCTAssertFalse(result.capabilities.macosGuests)
        #endif
    }

    func testHostInfo() throws {
        request(2, "host/info", "{}")
        let answer = try peer.receive()
        XCTAssertEqual(answer["id"], .number(2))
        let info = try XCTUnwrap(answer["result"]).decode(as: HostInfo.self)
        XCTAssertGreaterThanOrEqual(info.cpuCores, 1)
        XCTAssertNotNil(answer["result"]?["macosSlots"], "macosSlots must be sent even when null")
        #if os(Linux)
        XCTAssertEqual(answer["result"]?["macosSlots"], .null)
        #endif
    }

    func testUnknownMethod() throws {
        request(4, "vm/frobnicate", "{}")
        XCTAssertEqual(try peer.receive(), try json(#"{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"The helper has no method 'vm/frobnicate'; update vmtui and the helper together."}}"#))
    }

    func testBadParamsNameTheField() throws {
        request(5, "initialize", #"{"clientName":"vmtui","clientVersion":"0.1.0","protocolVersion":"1"}"#)
        XCTAssertEqual(try peer.receive(), try json(#"{"jsonrpc":"2.0","id":5,"error":{"code":-32602,"message":"Parameter 'protocolVersion' must be a number.","data":{"kind":"invalidParams","field":"protocolVersion"}}}"#))
        request(6, "initialize", #"{"clientVersion":"0.1.0","protocolVersion":1}"#)
        let missing = try peer.receive()
        XCTAssertEqual(missing["error"]?["code"], .number(-32602))
        XCTAssertEqual(missing["error"]?["message"], .string("Parameter 'clientName' is missing."))
        XCTAssertEqual(missing["error"]?["data"]?["field"], .string("clientName"))
        request(7, "host/info", "[]")
        XCTAssertEqual(try peer.receive()["error"]?["data"]?["field"], .string("params"))
    }

    func testBodyThatIsNotJSON() throws {
        peer.sendBody("{this is not json")
        XCTAssertEqual(try peer.receive(), try json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"The message was not valid JSON; it was ignored."}}"#))
        // The stream goes on.
        request(8, "test/fast")
        XCTAssertEqual(try peer.receive()["result"], .string("fast"))
    }

    func testJSONThatIsNoMessage() throws {
        peer.sendBody(#"{"jsonrpc":"2.0","id":12}"#)
        let answer = try peer.receive()
        XCTAssertEqual(answer["id"], .number(12))
        XCTAssertEqual(answer["error"]?["code"], .number(-32600))
    }

    func testHandlerErrors() throws {
        request(9, "test/fail")
        XCTAssertEqual(try peer.receive()["error"], .object([
            "code": .number(1002),
            "message": .string(HelperError.notFound(what: "VM", name: "ghost").message),
            "data": .object(["kind": .string("notFound")]),
        ]))
        request(10, "test/crash")
        let crash = try peer.receive()
        XCTAssertEqual(crash["error"]?["code"], .number(-32603))
        guard case .string(let message)? = crash["error"]?["message"] else { return XCTFail("no message") }
        XCTAssertTrue(message.hasPrefix("The helper failed while handling 'test/crash'") && message.hasSuffix("."), message)
    }

    func testNotificationsGetNoAnswer() throws {
        peer.sendBody(#"{"jsonrpc":"2.0","method":"vm/unknownNotification","params":{}}"#)
        peer.sendBody(#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}"#)
        request(11, "test/fast")
        XCTAssertEqual(try peer.receive()["id"], .number(11), "a notification was answered")
    }

    func testSlowRequestDoesNotBlockOthers() throws {
        request(1, "test/slow")
        request(2, "test/fast")
        XCTAssertEqual(try peer.receive()["id"], .number(2))
        gate.set(true)
        let slow = try peer.receive()
        XCTAssertEqual(slow["id"], .number(1))
        XCTAssertEqual(slow["result"], .string("slow"))
    }

    func testUntilTheFirstLookOnlyInitializeAndHostInfoAreAnswered() throws {
        let firstLook = Gate()
        Serve.hold(router, until: firstLook)
        request(1, "test/fast")
        request(2, "initialize", #"{"clientName":"vmtui","clientVersion":"0.1.0","protocolVersion":1}"#)
        request(3, "host/info")
        let early = try [peer.receive(), peer.receive()].compactMap { answer -> Int? in
            if case .number(let id)? = answer["id"] { return Int(id) }
            return nil
        }
        XCTAssertEqual(early.sorted(), [2, 3], "initialize and host/info are answered before the first look")
        XCTAssertFalse(firstLook.isOpen)
        firstLook.open()
        XCTAssertEqual(try peer.receive()["id"], .number(1), "held until the first look")
        request(4, "test/fast")
        XCTAssertEqual(try peer.receive()["id"], .number(4), "once open, answered at once")
    }

    func testBlockingHandlersDoNotStarveOthers() throws {
        // More blocked handlers than the cooperative pool has threads (one per core).
        let blocked = ProcessInfo.processInfo.activeProcessorCount + 1
        for id in 1...blocked { request(id, "test/block") }
        request(100, "test/fast")
        XCTAssertEqual(try peer.receive()["id"], .number(100))
        for _ in 1...blocked { blockers.signal() }
        var ids: [Int] = []
        for _ in 1...blocked {
            if case .number(let id)? = try peer.receive()["id"] { ids.append(Int(id)) }
        }
        XCTAssertEqual(ids.sorted(), Array(1...blocked))
    }

    func testCancelRequest() throws {
        request(1, "test/slow")
        peer.sendBody(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#)
        let answer = try peer.receive()
        XCTAssertEqual(answer["id"], .number(1))
        XCTAssertEqual(answer["error"]?["code"], .number(1012))
        XCTAssertEqual(answer["error"]?["data"]?["kind"], .string("cancelled"))
        XCTAssertEqual(answer["error"]?["message"], .string("The 'test/slow' request was cancelled."))
    }

    func testShutdownThenOnlyExit() throws {
        request(7, "shutdown")
        XCTAssertEqual(try peer.receive(), try json(#"{"jsonrpc":"2.0","id":7,"result":null}"#))
        request(8, "host/info")
        let refused = try peer.receive()
        XCTAssertEqual(refused["id"], .number(8))
        XCTAssertEqual(refused["error"]?["code"], .number(-32600))
        XCTAssertEqual(refused["error"]?["message"], .string("The helper is shutting down; it accepts only the 'exit' notification now."))
        peer.sendBody(#"{"jsonrpc":"2.0","method":"exit"}"#)
        XCTAssertEqual(session.wait(timeout: 5), 0)
    }

    func testExitWithoutShutdownEndsWithStatus1() throws {
        peer.sendBody(#"{"jsonrpc":"2.0","method":"exit"}"#)
        XCTAssertEqual(session.wait(timeout: 5), 1)
    }

    func testEndOfInputClosesAndCancelsRunningRequests() throws {
        request(1, "test/slow")
        request(2, "test/fast")
        XCTAssertEqual(try peer.receive()["id"], .number(2))
        peer.closeWriting()
        XCTAssertTrue(eventually { closeReason.current != nil })
        XCTAssertEqual(closeReason.current, .endOfInput)
        XCTAssertTrue(connection.isClosed)
        // The cancelled slow request is answered no more, and the connection closed its output.
        XCTAssertTrue(peer.sawEndOfStream(), "the slow request was answered after end of input, or the output stayed open")
    }

    func testBrokenFramingCloses() throws {
        peer.sendRaw(Array("Garbage without a colon\r\n\r\n".utf8))
        XCTAssertTrue(eventually { closeReason.current != nil })
        XCTAssertEqual(closeReason.current, .framingError(.headerLineWithoutColon("Garbage without a colon")))
        // The peer is told why (a -32700 error with id null), then the stream ends.
        let reply = try peer.receive()
        XCTAssertEqual(reply["id"], .null)
        XCTAssertEqual(reply["error"]?["code"], .number(-32700))
        XCTAssertTrue(peer.sawEndOfStream())
    }
}
