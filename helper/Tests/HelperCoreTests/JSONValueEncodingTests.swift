import Foundation
import XCTest
@testable import HelperCore

/// Typed results become JSONValue through JSONTextReader: booleans stay booleans, 1 stays a number.
final class JSONValueEncodingTests: XCTestCase {
    func testKindsSurviveTheRoundTrip() throws {
        struct Mixed: Encodable { var flags = [true, false]; var ones = [1, 0]; var big: UInt64 = 1 << 40; var half = 0.5
                                  var text = "é \"q\" /"; var none: String? = nil; var nested = ["k": [1.5]] }
        let value = try JSONValue(encoding: Mixed())
        XCTAssertEqual(value["flags"], .array([.bool(true), .bool(false)]))
        XCTAssertEqual(value["ones"], .array([.number(1), .number(0)]))
        XCTAssertEqual(value["big"], .number(Double(1 << 40)))
        XCTAssertEqual(value["half"], .number(0.5))
        XCTAssertEqual(value["text"], .string("é \"q\" /"))
        XCTAssertNil(value["none"])
        XCTAssertEqual(value["nested"], .object(["k": .array([.number(1.5)])]))
        XCTAssertEqual(try JSONValue(encoding: Optional<Int>.none), .null)
        XCTAssertEqual(try JSONValue(encoding: "plain"), .string("plain"))
    }

    /// vm/list keeps each VM's text: a written value is sent, compared, read and decoded as its value.
    func testAWrittenValueIsItsValueEverywhere() throws {
        let value = JSONValue.object(["name": .string("a\"b"), "cpus": .number(2), "tags": .array([.null, .bool(true)])])
        let written = try JSONValue.writing(value)
        guard case .written = written else { return XCTFail("writing(_:) gave \(written)") }
        XCTAssertEqual(written, value)
        XCTAssertEqual(value, written)
        XCTAssertNotEqual(written, .object(["name": .string("a\"b")]))
        XCTAssertEqual(try JSONValue.writing(written).plain, value, "written twice, still the value")
        XCTAssertEqual(written["cpus"], .number(2))
        let list = JSONValue.object(["vms": .array([written, value])])
        let text = String(decoding: try JSONTextWriter.data(list), as: UTF8.self)
        XCTAssertEqual(text, #"{"vms":[{"cpus":2,"name":"a\"b","tags":[null,true]},{"cpus":2,"name":"a\"b","tags":[null,true]}]}"#)
        XCTAssertEqual(try JSONCoding.encode(list), try JSONTextWriter.data(list), "Foundation's encoder writes it the same")
        struct Item: Decodable, Equatable { let name: String; let cpus: Int }
        XCTAssertEqual(try written.decode(as: Item.self), Item(name: "a\"b", cpus: 2))
        XCTAssertEqual(try list.decode(as: [String: [Item]].self)["vms"], [Item(name: "a\"b", cpus: 2), Item(name: "a\"b", cpus: 2)])
        XCTAssertEqual(InvalidParams.describe(written), "an object")
    }

    func testAListOfManyVMsComesOutWhole() throws {
        let fixture = repositoryRoot.appendingPathComponent("test/fixtures/protocol/vm-list.result.json")
        let message = try JSONCoding.decode(JSONValue.self, from: Data(contentsOf: fixture))
        let one = try XCTUnwrap(message["result"]).decode(as: VMListResult.self)
        let list = VMListResult(vms: Array((0..<200).map { i in one.vms.map { vm in var copy = vm; copy.name = "vm\(i)-\(vm.name)"; return copy } }.joined()),
                                problems: one.problems)
        let value = try JSONValue(encoding: list)
        XCTAssertEqual(try value.decode(as: VMListResult.self), list)
    }

    func testTheReaderTakesEscapesAndRefusesWhatIsNotJSON() throws {
        var reader = JSONTextReader(bytes: Array(#" {"a" : "\u00e9\ud83d\ude00\n\"\\\/ x", "b":[1,-2.5e3,true,false,null], "c":{}, "d":[]} "#.utf8))
        XCTAssertEqual(try reader.value(), .object(["a": .string("é😀\n\"\\/ x"),
                                                    "b": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
                                                    "c": .object([:]), "d": .array([])]))
        for bad in [#"{"a":1,}"#, "[1 2]", #"{"a":1} x"#, #""\ud83d""#, "tru", "", #""open"#, "-", #""\q""#] {
            var r = JSONTextReader(bytes: Array(bad.utf8))
            XCTAssertThrowsError(try r.value(), bad)
        }
    }

    /// Outgoing answers and notifications are written by JSONTextWriter: the text must read back
    /// as the same value JSONEncoder's text does, with the same key order and number forms.
    func testTheWriterSaysWhatJSONEncoderSays() throws {
        let fixture = repositoryRoot.appendingPathComponent("test/fixtures/protocol/vm-list.result.json")
        let message = try JSONCoding.decode(JSONValue.self, from: Data(contentsOf: fixture))
        let odd: JSONValue = .object(["z": .string("tab\t nl\n \u{01} \"q\" \\ / é😀"), "a": .array([.number(0.5), .number(-3), .number(1e-5), .number(1_099_511_627_776), .null, .bool(false)]),
                                      "B": .object([:]), "aa": .array([])])
        for value in [message, odd] {
            let written = try JSONTextWriter.data(value)
            XCTAssertEqual(try JSONCoding.decode(JSONValue.self, from: written), value)
            XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: try JSONCoding.encode(value), as: UTF8.self))
        }
        XCTAssertThrowsError(try JSONTextWriter.data(.number(.nan)))
    }

    func testAnAnswerFrameReadsBackAsTheAnswer() throws {
        let response = RPCResponse(id: .number(7), result: JSONValue.object(["vms": .array([.string("a/b")])]))
        let body = try XCTUnwrap(try Connection.fastBody(response))
        XCTAssertEqual(try JSONCoding.decode(JSONValue.self, from: body), try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode(response)))
        let note = RPCNotification(method: "vm/stats", params: Optional(JSONValue.object(["x": .number(1.25)])))
        XCTAssertEqual(String(decoding: try XCTUnwrap(try Connection.fastBody(note)), as: UTF8.self), String(decoding: try JSONCoding.encode(note), as: UTF8.self))
        XCTAssertNil(try Connection.fastBody(RPCErrorResponse(id: .null, error: .parseError)))
    }
}
