import Foundation
import XCTest
@testable import HelperCore

final class ProtocolTests: XCTestCase {
    func testJSONValueKeepsKindsApart() throws {
        let value = try json(#"{"t":true,"f":false,"one":1,"half":0.5,"s":"1","n":null,"a":[1,"x",[]],"o":{}}"#)
        XCTAssertEqual(value, .object([
            "t": .bool(true), "f": .bool(false), "one": .number(1), "half": .number(0.5), "s": .string("1"),
            "n": .null, "a": .array([.number(1), .string("x"), .array([])]), "o": .object([:]),
        ]))
    }

    func testWholeNumbersAreWrittenAsIntegers() throws {
        let text = String(decoding: try JSONCoding.encode(JSONValue.array([.number(25769803776), .number(-3), .number(0.25)])), as: UTF8.self)
        XCTAssertEqual(text, "[25769803776,-3,0.25]")
    }

    func testIDs() throws {
        XCTAssertEqual(try json("7").decode(as: RPCID.self), .number(7))
        XCTAssertEqual(try json(#""a-1""#).decode(as: RPCID.self), .string("a-1"))
        XCTAssertEqual(try json("null").decode(as: RPCID.self), .null)
        XCTAssertThrowsError(try json("1.5").decode(as: RPCID.self))
        XCTAssertThrowsError(try json("true").decode(as: RPCID.self))
    }

    func testClassifiesEachKind() throws {
        guard case .success(.request(let request)) = IncomingMessage.classify(try json(#"{"jsonrpc":"2.0","id":"r1","method":"m","params":{"a":1}}"#)) else {
            return XCTFail("not a request")
        }
        XCTAssertEqual(request.id, .string("r1"))
        XCTAssertEqual(request.params, .object(["a": .number(1)]))

        guard case .success(.notification(let notification)) = IncomingMessage.classify(try json(#"{"jsonrpc":"2.0","method":"n"}"#)) else {
            return XCTFail("not a notification")
        }
        XCTAssertNil(notification.params)

        guard case .success(.response(let id, .success(let result))) = IncomingMessage.classify(try json(#"{"jsonrpc":"2.0","id":3,"result":null}"#)) else {
            return XCTFail("not a result")
        }
        XCTAssertEqual(id, .number(3))
        XCTAssertEqual(result, .null)

        guard case .success(.response(_, .failure(let error))) = IncomingMessage.classify(try json(#"{"jsonrpc":"2.0","id":3,"error":{"code":1002,"message":"No.","data":{"kind":"notFound"}}}"#)) else {
            return XCTFail("not an error answer")
        }
        XCTAssertEqual(error, RPCErrorObject(code: 1002, message: "No.", data: .object(["kind": .string("notFound")])))
    }

    func testRejectsWhatIsNoMessage() throws {
        let cases: [(String, RPCID)] = [
            (#"{"foo":1}"#, .null),
            (#"{"jsonrpc":"2.0","id":9}"#, .number(9)),
            (#"{"jsonrpc":"1.0","id":4,"method":"m"}"#, .number(4)),
            (#"{"jsonrpc":"2.0","id":5,"method":42}"#, .number(5)),
            (#"{"jsonrpc":"2.0","id":{},"method":"m"}"#, .null),
            (#"[{"jsonrpc":"2.0","method":"m"}]"#, .null),
            ("42", .null),
        ]
        for (text, id) in cases {
            guard case .failure(let invalid) = IncomingMessage.classify(try json(text)) else {
                XCTFail("accepted \(text)")
                continue
            }
            XCTAssertEqual(invalid.answer.id, id, text)
            XCTAssertEqual(invalid.answer.error.code, -32600, text)
            XCTAssertTrue(invalid.answer.error.message.hasSuffix("."), text)
        }
    }

    func testHelperErrorOnTheWire() throws {
        let error = RPCErrorObject(HelperError.io(path: "/x", errno: 2, action: "read"))
        XCTAssertEqual(error.code, 1008)
        XCTAssertEqual(error.data, .object(["kind": .string("io"), "path": .string("/x"), "errno": .number(2)]))
    }

    private struct Share: Decodable { var path: String }
    private struct Params: Decodable { var name: String; var count: Int; var on: Bool; var shares: [Share]; var nested: [String: Int]? }

    /// The field and sentence of the -32602 error for `text`, or nil when it decodes.
    private func invalidParams(_ text: String) throws -> (field: String, message: String)? {
        let error: Error
        do {
            _ = try Router.decodeParams(Params.self, from: try json(text))
            return nil
        } catch let caught {
            error = caught
        }
        guard case .invalidParams(let field, let message)? = error as? HelperError else {
            XCTFail("unexpected \(error)")
            return nil
        }
        return (field, message)
    }

    func testInvalidParamsNameTheField() throws {
        let base = #""name":"a","count":1,"on":true,"shares":[]"#
        let cases: [(String, String, String)] = [
            (#"{"count":1,"on":true,"shares":[]}"#, "name", "Parameter 'name' is missing."),
            (#"{"name":5,"count":1,"on":true,"shares":[]}"#, "name", "Parameter 'name' must be a string."),
            (#"{"name":"a","count":"1","on":true,"shares":[]}"#, "count", "Parameter 'count' must be a number."),
            (#"{"name":"a","count":1,"on":"yes","shares":[]}"#, "on", "Parameter 'on' must be true or false."),
            (#"{"name":null,"count":1,"on":true,"shares":[]}"#, "name", "Parameter 'name' must not be null; it must be a string."),
            (#"{"name":"a","count":1,"on":true,"shares":{}}"#, "shares", "Parameter 'shares' must be an array."),
            (#"{"name":"a","count":1,"on":true,"shares":[{"path":"/a"},{}]}"#, "shares[1].path", "Parameter 'shares[1].path' is missing."),
            ("{\(base),\"nested\":[]}", "nested", "Parameter 'nested' must be an object."),
        ]
        for (text, field, sentence) in cases {
            let got = try invalidParams(text)
            XCTAssertEqual(got?.field, field, text)
            XCTAssertEqual(got?.message, sentence, text)
        }
        XCTAssertEqual(try invalidParams(#"{"name":"a","count":1.5,"on":true,"shares":[]}"#)?.message.hasPrefix("Parameter 'count' has a value that cannot be used ("), true)
        XCTAssertEqual(try invalidParams("[1]")?.field, "params")
        XCTAssertNil(try invalidParams("{\(base)}"))
    }

    func testDecodingFromJSONValueMatchesJSONDecoder() throws {
        struct Sample: Codable, Equatable {
            var text: String; var bytes: UInt64; var small: Int8; var ratio: Double; var flag: Bool
            var list: [Int]; var map: [String: String]; var optional: String?; var blob: Data; var link: URL
            var id: RPCID; var raw: JSONValue
        }
        let sample = Sample(text: "é", bytes: 1 << 40, small: -5, ratio: 0.5, flag: true, list: [1, 2], map: ["a": "b"],
                            optional: nil, blob: Data([0, 255, 7]), link: URL(string: "file:///tmp/x")!, id: .string("q"),
                            raw: .array([.null, .bool(false)]))
        let value = try JSONValue(encoding: sample)
        XCTAssertEqual(try value.decode(as: Sample.self), sample)
        XCTAssertEqual(try JSONCoding.decode(Sample.self, from: JSONCoding.encode(value)), sample)
    }

    func testNumbersOutOfRangeNameTheirField() throws {
        struct Sizes: Decodable { var list: [UInt8] }
        XCTAssertThrowsError(try json(#"{"list":[1,300]}"#).decode(as: Sizes.self)) { error in
            guard case DecodingError.dataCorrupted(let context)? = error as? DecodingError else { return XCTFail("\(error)") }
            XCTAssertEqual(InvalidParams.path(context.codingPath), "list[1]")
        }
        XCTAssertEqual(InvalidParams.error(from: DecodingError.dataCorrupted(.init(codingPath: [AnyKey(stringValue: "memoryBytes")], debugDescription: "-1.0 is not a whole number that fits in UInt64"))).message,
                       "Parameter 'memoryBytes' has a value that cannot be used (-1.0 is not a whole number that fits in UInt64).")
    }

    func testEmptyParamsAcceptAbsentAndObjectOnly() throws {
        XCTAssertEqual(try Router.decodeParams(EmptyParams.self, from: nil), EmptyParams())
        XCTAssertEqual(try Router.decodeParams(EmptyParams.self, from: .object(["extra": .bool(true)])), EmptyParams())
        XCTAssertThrowsError(try Router.decodeParams(EmptyParams.self, from: .array([])))
        XCTAssertEqual(String(decoding: try JSONCoding.encode(EmptyParams()), as: UTF8.self), "{}")
        XCTAssertEqual(String(decoding: try JSONCoding.encode(RPCResponse(id: .number(1), result: NullResult())), as: UTF8.self),
                       #"{"id":1,"jsonrpc":"2.0","result":null}"#)
    }

    /// Progress members that may be unknown are written as null and read back when null or absent.
    func testNullWhenNilMembersAreWrittenAsNullAndReadWhenAbsent() throws {
        let progress = IpswProgressParams(url: "https://example.org/a.ipsw", phase: .connecting, receivedBytes: 0, totalBytes: nil,
                                          bytesPerSecond: 0, etaSeconds: nil)
        guard case .object(let members) = try JSONValue(encoding: progress) else { return XCTFail("not an object") }
        XCTAssertEqual(members["totalBytes"], .null)
        XCTAssertEqual(members["etaSeconds"], .null)
        let absent = try json(#"{"url":"https://example.org/a.ipsw","phase":"downloading","receivedBytes":5,"bytesPerSecond":1}"#)
        let read = try absent.decode(as: IpswProgressParams.self)
        XCTAssertNil(read.totalBytes)
        XCTAssertNil(read.etaSeconds)
        let known = try json(#"{"name":"web","phase":"importing","doneBytes":5,"totalBytes":9,"bytesPerSecond":1,"etaSeconds":4}"#)
        XCTAssertEqual(try known.decode(as: ImageProgressParams.self),
                       ImageProgressParams(name: "web", phase: .importing, doneBytes: 5, totalBytes: 9, bytesPerSecond: 1, etaSeconds: 4))
    }
}
