import Foundation
import XCTest
@testable import HelperCore

/// A fresh folder "vmtui-<label>-<uuid>" in the system's temporary folder, made unless `create`
/// is false (for code that must make it itself). The caller removes it.
func makeTemporaryFolder(_ label: String, create: Bool = true) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vmtui-\(label)-\(UUID().uuidString)", isDirectory: true)
    if create { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    return url
}

extension XCTestCase {
    /// `makeTemporaryFolder`, removed with all it holds when the test ends.
    func temporaryFolder(_ label: String, create: Bool = true) throws -> URL {
        let url = try makeTemporaryFolder(label, create: create)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// An error response's `error` from `test/fixtures/protocol/<file>`.
func fixtureError(_ file: String) throws -> RPCErrorObject {
    let url = repositoryRoot.appendingPathComponent("test/fixtures/protocol").appendingPathComponent(file)
    return try JSONCoding.decode(RPCErrorResponse.self, from: Data(contentsOf: url)).error
}

/// Fails unless `expression` throws a HelperError of `kind` whose message is a sentence.
func XCTAssertHelperError<T>(_ expression: @autoclosure () async throws -> T, kind: String, _ message: String = "",
                             file: StaticString = #filePath, line: UInt = #line, check: (HelperError) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected a '\(kind)' error. \(message)", file: file, line: line)
    } catch let error as HelperError {
        XCTAssertEqual(error.kind, kind, "\(error.message) \(message)", file: file, line: line)
        XCTAssertTrue(error.message.hasSuffix("."), "errors are sentences: \(error.message)", file: file, line: line)
        check(error)
    } catch {
        XCTFail("expected a HelperError, got \(error). \(message)", file: file, line: line)
    }
}
