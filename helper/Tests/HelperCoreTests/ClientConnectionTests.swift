import Foundation
import XCTest
@testable import HelperCore

/// Connection as a client (serve talking to a per-VM host): outgoing requests matched by id,
/// notifications pushed by the server, and failure when the link ends.
final class ClientConnectionTests: XCTestCase {
    typealias Pinged = TestMethod.Pinged

    var server: Connection!
    var client: Connection!
    let received = Locked<[Pinged]>([])
    let clientClosed = Locked<CloseReason?>(nil)
    let serverClosed = Locked<CloseReason?>(nil)

    override func setUp() {
        let (a, b) = makeSocketPair()
        let serverRouter = Serve.makeRouter(session: ServeSession())
        serverRouter.register(TestMethod.Ping.self) { p, context -> String in
            // Pushed before the answer, on the same connection.
            context.connection.notify("test/pinged", Pinged(text: p.text))
            return "pong:" + p.text
        }
        serverRouter.register(TestMethod.Hang.self) { _, _ async throws -> String in
            try await Task.sleep(nanoseconds: 60_000_000_000)
            return "late"
        }
        server = Connection(input: a, output: a, name: "server", ownsDescriptors: true)
        let serverClosed = self.serverClosed
        server.start(router: serverRouter) { serverClosed.set($0) }

        let clientRouter = Router()
        let received = self.received
        clientRouter.onNotification(TestMethod.PingedNote.self) { p, _ in received.update { $0.append(p) } }
        client = Connection(input: b, output: b, name: "client", ownsDescriptors: true)
        let clientClosed = self.clientClosed
        client.start(router: clientRouter) { clientClosed.set($0) }
    }

    override func tearDown() {
        client.close()
        server.close()
        XCTAssertTrue(eventually { clientClosed.current != nil && serverClosed.current != nil })
    }

    func testTypedRequestAndNotification() async throws {
        let result = try await client.request(InitializeRequest.self,
                                              InitializeParams(clientName: "serve", clientVersion: "0.1.0", protocolVersion: 1))
        XCTAssertEqual(result.protocolVersion, 1)
        let pong = try await client.request("test/ping", params: .object(["text": .string("hi")]))
        XCTAssertEqual(pong, .string("pong:hi"))
        XCTAssertTrue(eventually { received.current == [Pinged(text: "hi")] })
    }

    func testConcurrentRequestsAreMatchedById() async throws {
        let answers = try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
            for i in 0..<20 {
                group.addTask { (i, try await self.client.request("test/ping", params: .object(["text": .string("\(i)")]))) }
            }
            var all: [Int: JSONValue] = [:]
            for try await (i, value) in group { all[i] = value }
            return all
        }
        XCTAssertEqual(answers.count, 20)
        for (i, value) in answers { XCTAssertEqual(value, .string("pong:\(i)")) }
    }

    func testPeerErrorIsThrown() async throws {
        do {
            _ = try await client.request("vm/frobnicate", params: nil)
            XCTFail("no error")
        } catch let error as RPCErrorObject {
            XCTAssertEqual(error, .methodNotFound("vm/frobnicate"))
        }
    }

    func testCancellingAnOutgoingRequestCancelsItOnThePeer() async throws {
        let task = Task { try await client.request("test/hang", params: nil) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the hanging request was not cancelled")
        } catch let error as RPCErrorObject {
            XCTAssertEqual(error.code, 1012)
        }
    }

    func testPendingRequestFailsWhenThePeerGoesAway() async throws {
        let task = Task { try await client.request("test/hang", params: nil) }
        try await Task.sleep(nanoseconds: 100_000_000)
        server.close()
        do {
            _ = try await task.value
            XCTFail("a request survived the end of its connection")
        } catch let error as ConnectionError {
            XCTAssertEqual(error, .closed(name: "client"))
        }
        XCTAssertTrue(eventually { clientClosed.current == .endOfInput })
        XCTAssertTrue(eventually { serverClosed.current == .closedLocally })
        // Nothing more can be asked.
        do {
            _ = try await client.request("test/ping", params: nil)
            XCTFail("a closed connection took a request")
        } catch let error as ConnectionError {
            XCTAssertEqual(error, .closed(name: "client"))
        }
    }

    func testCloseBeforeStartCallsNothingTwice() {
        let (a, b) = makeSocketPair()
        let unstarted = Connection(input: a, output: a, name: "unstarted", ownsDescriptors: true)
        unstarted.close()
        unstarted.close()
        XCTAssertTrue(unstarted.isClosed)
        close(b)
    }
}
