import Foundation
import XCTest
@testable import HelperCore

/// Every shared fixture is decoded into the Swift types of its method, re-encoded and compared as
/// JSON, so a field missing from (or misnamed in) the Swift types fails here.
final class FixtureRoundTripTests: XCTestCase {
    struct Index: Decodable {
        struct Entry: Decodable {
            var file: String
            var method: String?
            var kind: String
        }
        var fixtures: [Entry]
    }

    let folder = repositoryRoot.appendingPathComponent("test/fixtures/protocol")

    func loadIndex() throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
    }

    func testEveryFixtureRoundTripsThroughItsTypes() throws {
        let index = try loadIndex()
        XCTAssertGreaterThanOrEqual(index.fixtures.count, 12)
        for entry in index.fixtures {
            let data = try Data(contentsOf: folder.appendingPathComponent(entry.file))
            let original = try JSONCoding.decode(JSONValue.self, from: data)
            let again: JSONValue
            do {
                again = try roundTrip(data, method: entry.method, kind: entry.kind)
            } catch {
                XCTFail("\(entry.file): does not decode into the Swift types: \(error)")
                continue
            }
            XCTAssertEqual(again, original, "\(entry.file) changed on the way through the Swift types")
        }
    }

    func testIndexListsEveryFixtureFile() throws {
        let listed = Set(try loadIndex().fixtures.map(\.file))
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)).subtracting(["index.json"])
        XCTAssertEqual(listed, present)
    }

    /// The errors the helper itself produces read exactly as the fixtures say.
    func testHelperProducesTheFixtureErrors() throws {
        XCTAssertEqual(RPCErrorObject.methodNotFound("vm/frobnicate"), try fixtureError("method-not-found.error.json"))
        XCTAssertEqual(RPCErrorObject.parseError, try fixtureError("parse.error.json"))
        XCTAssertEqual(RPCErrorObject(HelperError.alreadyRunning(name: "dev", pid: 4242)), try fixtureError("already-running.error.json"))
        do {
            _ = try Router.decodeParams(InitializeParams.self, from: try json(#"{"clientName":"vmtui","clientVersion":"0.1.0","protocolVersion":"1"}"#))
            XCTFail("a string protocolVersion was accepted")
        } catch let error as HelperError {
            XCTAssertEqual(RPCErrorObject(error), try fixtureError("invalid-params.error.json"))
        }
    }

    /// Every method with fixtures, by its declared types. A new method adds its line here.
    static let requestTypes: [any RPCRequestType.Type] = [
        StatsSubscribeRequest.self, StatsUnsubscribeRequest.self,
        InitializeRequest.self, ShutdownRequest.self, HostInfoRequest.self,
        VMListRequest.self, VMGetRequest.self, VMCreateRequest.self, VMDeleteRequest.self, VMRenameRequest.self,
        VMConfigureRequest.self, VMStartRequest.self, VMStopRequest.self, VMPauseRequest.self, VMResumeRequest.self,
        ConsoleAttachRequest.self, ConsoleWriteRequest.self, ConsoleDetachRequest.self,
        VMCloneRequest.self, SnapshotCreateRequest.self, SnapshotListRequest.self, SnapshotRestoreRequest.self, SnapshotDeleteRequest.self,
        VMInstallRequest.self, VMIPRequest.self, VMSSHInfoRequest.self,
        ScreenshotRequest.self, ScreenFrameRequest.self, SendKeysRequest.self, VNCInfoRequest.self,
        IpswLatestRequest.self, IpswDownloadRequest.self, IpswListRequest.self, IpswDeleteRequest.self,
        RosettaInstallRequest.self,
    ]
    static let notificationTypes: [any RPCNotificationType.Type] = [
        VMStatsNotification.self, HostStatsNotification.self,
        ExitNotification.self, CancelRequestNotification.self, StateChangedNotification.self, VMChangedNotification.self, ConsoleDataNotification.self,
        InstallProgressNotification.self,
        IpswProgressNotification.self, ImageProgressNotification.self, CopyProgressNotification.self,
    ]

    private func roundTrip(_ data: Data, method: String?, kind: String) throws -> JSONValue {
        if kind == "error" {
            return try reencode(RPCErrorResponse.self, data)
        }
        if let request = Self.requestTypes.first(where: { $0.method == method }) {
            return try roundTrip(request, data, kind: kind)
        }
        if let notification = Self.notificationTypes.first(where: { $0.method == method }) {
            guard kind == "notification" else { throw FixtureProblem("\(notification.method) is a notification, not a \(kind)") }
            return try roundTrip(notification, data)
        }
        throw FixtureProblem("no Swift types are listed for method \(method ?? "null"); add them to this test")
    }

    private func roundTrip<M: RPCNotificationType>(_ type: M.Type, _ data: Data) throws -> JSONValue {
        try reencode(RPCNotification<M.Params>.self, data)
    }

    private func roundTrip<M: RPCRequestType>(_ type: M.Type, _ data: Data, kind: String) throws -> JSONValue {
        switch kind {
        case "request": return try reencode(RPCRequest<M.Params>.self, data)
        case "result": return try reencode(RPCResponse<M.Result>.self, data)
        default: throw FixtureProblem("\(M.method) is a request; kind \(kind) does not fit")
        }
    }

    private func reencode<T: Codable>(_ type: T.Type, _ data: Data) throws -> JSONValue {
        try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(JSONCoding.decode(type, from: data)))
    }

    struct FixtureProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
