import Foundation
import XCTest
@testable import HelperCore

/// The pure parts of `ipsw/download`: Range/Content-Range, digest headers, cache names, progress
/// throttling and ETA, SHA-256. The whole download runs against a real HTTP server in the
/// TypeScript tests (test/rpc/ipsw-download.test.ts).
final class HTTPRangeTests: XCTestCase {
    func testContentRangeOfA206() {
        XCTAssertEqual(HTTPRange.parseContentRange("bytes 100-199/1000"), .init(first: 100, last: 199, total: 1000))
        XCTAssertEqual(HTTPRange.parseContentRange("Bytes 0-0/1"), .init(first: 0, last: 0, total: 1))
        XCTAssertEqual(HTTPRange.parseContentRange("bytes 5-9/*"), .init(first: 5, last: 9, total: nil))
        XCTAssertEqual(HTTPRange.parseContentRange("  bytes 17179869184-17179869199/17179869200 "),
                       .init(first: 17_179_869_184, last: 17_179_869_199, total: 17_179_869_200))
    }

    func testContentRangeOfA416() {
        XCTAssertEqual(HTTPRange.parseContentRange("bytes */1000"), .init(first: nil, last: nil, total: 1000))
        XCTAssertNil(HTTPRange.parseContentRange("bytes */*"))
    }

    func testMalformedContentRangesAreRejected() {
        for bad in ["", "bytes", "bytes 1-2", "items 0-1/2", "bytes 9-5/10", "bytes 0-10/10", "bytes -1-5/10", "bytes +1-5/10",
                    "bytes 1 -5/10", "bytes a-b/c", "bytes 0-1/2/3", "bytes 99999999999999999999-1/2"] {
            XCTAssertNil(HTTPRange.parseContentRange(bad), bad)
        }
    }

    func testRangeRequestAndIfRange() {
        XCTAssertEqual(HTTPRange.requestHeader(from: 0), "bytes=0-")
        XCTAssertEqual(HTTPRange.requestHeader(from: 123_456_789_012), "bytes=123456789012-")
        XCTAssertEqual(HTTPRange.ifRangeValue(etag: "\"abc\"", lastModified: "Fri, 01 Mar 2024 12:00:00 GMT"), "\"abc\"")
        // A weak ETag may not be used in If-Range; the date stands in.
        XCTAssertEqual(HTTPRange.ifRangeValue(etag: "W/\"abc\"", lastModified: "Fri, 01 Mar 2024 12:00:00 GMT"), "Fri, 01 Mar 2024 12:00:00 GMT")
        XCTAssertNil(HTTPRange.ifRangeValue(etag: "W/\"abc\"", lastModified: nil))
        XCTAssertNil(HTTPRange.ifRangeValue(etag: nil, lastModified: ""))
    }
}

final class DigestHeaderTests: XCTestCase {
    // SHA-256 of "abc".
    let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    let base64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="

    func testReprDigestAndItsMembers() {
        XCTAssertEqual(DigestHeader.sha256(in: ["repr-digest": "sha-256=:\(base64):"], wholeBody: false),
                       .init(sha256Hex: hex, header: "Repr-Digest"))
        XCTAssertEqual(DigestHeader.sha256(in: ["repr-digest": "sha-512=:AAAA:, sha-256=:\(base64):;x=1"], wholeBody: false)?.sha256Hex, hex)
    }

    func testLegacyDigestWithSeveralAlgorithms() {
        XCTAssertEqual(DigestHeader.sha256(in: ["digest": "MD5=HUXZLQLMuI/KZ5KDcJPcOA==, SHA-256=\(base64)"], wholeBody: false),
                       .init(sha256Hex: hex, header: "Digest"))
        XCTAssertEqual(DigestHeader.sha256(in: ["digest": "sha256=\(base64)"], wholeBody: false)?.sha256Hex, hex)
    }

    func testContentDigestNamesTheFileOnlyOnAWholeBody() {
        let headers = ["content-digest": "sha-256=:\(base64):"]
        XCTAssertEqual(DigestHeader.sha256(in: headers, wholeBody: true)?.header, "Content-Digest")
        XCTAssertNil(DigestHeader.sha256(in: headers, wholeBody: false), "a 206's Content-Digest is the range's, not the file's")
    }

    func testUnusableValuesAreIgnored() {
        XCTAssertNil(DigestHeader.sha256(in: ["repr-digest": "sha-256=\(base64)"], wholeBody: true), "no colons: not a byte sequence")
        XCTAssertNil(DigestHeader.sha256(in: ["digest": "SHA-256=AAAA"], wholeBody: true), "not 32 bytes")
        XCTAssertNil(DigestHeader.sha256(in: ["digest": "MD5=HUXZLQLMuI/KZ5KDcJPcOA=="], wholeBody: true))
        XCTAssertNil(DigestHeader.sha256(in: ["digest": "SHA-256=!!!"], wholeBody: true))
        XCTAssertNil(DigestHeader.sha256(in: [:], wholeBody: true))
    }

    func testUserHexIsNormalized() {
        XCTAssertEqual(DigestHeader.normalizedHex(" " + hex.uppercased()), hex)
        XCTAssertNil(DigestHeader.normalizedHex(String(hex.dropLast())))
        XCTAssertNil(DigestHeader.normalizedHex(String(hex.dropLast()) + "g"))
        XCTAssertNil(DigestHeader.normalizedHex(base64))
    }
}

final class IpswCacheNameTests: XCTestCase {
    func name(_ url: String) -> String { IpswCache.fileName(for: URL(string: url)!) }

    func testTheURLsLastComponentIsTheName() {
        XCTAssertEqual(name("https://updates.cdn-apple.com/2024/fullrestores/052-1/UniversalMac_14.4_23E214_Restore.ipsw"),
                       "UniversalMac_14.4_23E214_Restore.ipsw")
        XCTAssertEqual(name("https://example.com/a/b.ipsw?token=1#x"), "b.ipsw")
    }

    func testUnsafeCharactersBecomeUnderscores() {
        XCTAssertEqual(name("https://example.com/My%20Image%2Fv2.ipsw"), "My_Image_v2.ipsw")
        XCTAssertEqual(name("https://example.com/%C3%A9t%C3%A9.ipsw"), "_t_.ipsw")
        XCTAssertEqual(name("https://example.com/a%00b"), "a_b")
    }

    func testNoHiddenFilesNoOptionsNoPartialsNoEmptyNames() {
        XCTAssertEqual(name("https://example.com/..%2F..%2Fetc%2Fpasswd"), "_.._etc_passwd")
        XCTAssertEqual(name("https://example.com/.hidden"), "hidden")
        XCTAssertEqual(name("https://example.com/--force"), "force")
        XCTAssertEqual(name("https://example.com/"), "download")
        XCTAssertEqual(name("https://example.com"), "download")
        XCTAssertEqual(name("https://example.com/.."), "download")
        XCTAssertEqual(name("https://example.com/x.ipsw.partial"), "x.ipsw.partial_")
        XCTAssertEqual(name("https://example.com/" + String(repeating: "a", count: 400)).count, 160)
    }
}

final class ProgressPacingTests: XCTestCase {
    func testAtMostFourReportsASecondButEveryPhaseChange() {
        var gate = ProgressGate(interval: 0.25)
        var passed: [TimeInterval] = []
        for step in 0..<100 {
            let t = Double(step) * 0.01  // one second of reports every 10 ms
            if gate.admit(.downloading, at: t) { passed.append(t) }
        }
        XCTAssertEqual(passed.count, 4, "\(passed)")
        XCTAssertEqual(passed.first, 0)
        XCTAssertTrue(gate.admit(.verifying, at: 0.991), "a new phase passes at once")
        XCTAssertFalse(gate.admit(.verifying, at: 0.992))
    }

    func testRateOverTheWindowAndTheETA() {
        var rate = TransferRate(window: 5, spacing: 0.1)
        XCTAssertEqual(rate.bytesPerSecond(at: 0), 0)
        // 1 MB/s for 10 s, then 4 MB/s for 6 s: the window sees only the fast part.
        var bytes: UInt64 = 0
        for step in 0...100 {
            rate.record(bytes: bytes, at: Double(step) * 0.1)
            bytes += 100_000
        }
        XCTAssertEqual(rate.bytesPerSecond(at: 10), 1_000_000, accuracy: 1_000)
        for step in 101...160 {
            bytes += 400_000
            rate.record(bytes: bytes, at: Double(step) * 0.1)
        }
        XCTAssertEqual(rate.bytesPerSecond(at: 16), 4_000_000, accuracy: 100_000)
        // Nothing for 5 more seconds: the rate falls, it does not freeze.
        XCTAssertLessThan(rate.bytesPerSecond(at: 21), 2_100_000)
        rate.reset()
        XCTAssertEqual(rate.bytesPerSecond(at: 30), 0)
    }

    func testETA() {
        XCTAssertEqual(TransferRate.eta(remaining: 10_000_000, bytesPerSecond: 4_000_000), 3)
        XCTAssertEqual(TransferRate.eta(remaining: 0, bytesPerSecond: 4_000_000), 0)
        XCTAssertNil(TransferRate.eta(remaining: nil, bytesPerSecond: 4_000_000), "unknown size")
        XCTAssertNil(TransferRate.eta(remaining: 10, bytesPerSecond: 0), "no rate yet")
    }

    func testByteText() {
        XCTAssertEqual(ByteText.of(12), "12 bytes")
        XCTAssertEqual(ByteText.of(1536), "1.5 KiB")
        XCTAssertEqual(ByteText.of(300 << 20), "300 MiB")
        XCTAssertEqual(ByteText.of(13_400_000_000), "12.5 GiB")
    }
}

final class DownloadFileTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("dl")
    }


    func sha256(_ bytes: [UInt8]) throws -> String {
        let file = folder.appendingPathComponent("hash-me")
        try Data(bytes).write(to: file)
        return try SHA256Digester.hashFile(file) { _ in }
    }

    func testSHA256KnownAnswers() throws {
        XCTAssertEqual(try sha256([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try sha256(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // More than one 1 MiB read block gives what one update over all of it gives.
        XCTAssertEqual(try sha256([UInt8](repeating: 0x61, count: 2_000_000)), try sha256Reference(2_000_000))
    }

    /// SHA-256 of n bytes of 'a', computed in two updates, against one update: the digester must
    /// not depend on how the input is split.
    func sha256Reference(_ n: Int) throws -> String {
        var digester = try SHA256Digester()
        let bytes = [UInt8](repeating: 0x61, count: n)
        bytes.withUnsafeBytes { raw in
            digester.update(UnsafeRawBufferPointer(rebasing: raw[0..<7]))
            digester.update(UnsafeRawBufferPointer(rebasing: raw[7...]))
        }
        return digester.finalizeHex()
    }

    func testAMillionAs() throws {
        // The FIPS 180-2 test vector.
        XCTAssertEqual(try sha256Reference(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPartialFileWritesWholeChunksAndKeepsAPrefix() throws {
        let url = folder.appendingPathComponent("x.partial")
        let partial = try PartialFile(url: url, busy: { HelperError.backend("busy") })
        let chunk = PartialFile.writeChunk
        try partial.append(Data(repeating: 1, count: chunk - 1))
        XCTAssertEqual(FileOps.logicalSize(url), 0, "nothing written before a chunk fills")
        try partial.append(Data(repeating: 2, count: 3))
        XCTAssertEqual(FileOps.logicalSize(url), UInt64(chunk), "one whole chunk written")
        XCTAssertEqual(partial.receivedBytes, UInt64(chunk + 2))
        try partial.sync()
        XCTAssertEqual(FileOps.logicalSize(url), UInt64(chunk + 2))
        let data = try Data(contentsOf: url)
        XCTAssertEqual(data[chunk - 2], 1)
        XCTAssertEqual(data[chunk - 1], 2)
        XCTAssertEqual(data[chunk + 1], 2)
        try partial.truncate()
        XCTAssertEqual(FileOps.logicalSize(url), 0)
    }

    func testASecondWriterIsRefusedUntilTheFirstCloses() throws {
        let url = folder.appendingPathComponent("y.partial")
        var first: PartialFile? = try PartialFile(url: url, busy: { HelperError.backend("busy") })
        try first?.append(Data(repeating: 7, count: 10))
        try first?.flush()
        XCTAssertThrowsError(try PartialFile(url: url, busy: { HelperError.backend("busy") })) { error in
            XCTAssertEqual(error as? HelperError, .backend("busy"))
        }
        first = nil
        let second = try PartialFile(url: url, busy: { HelperError.backend("busy") })
        XCTAssertEqual(second.writtenBytes, 10, "it continues where the first stopped")
    }

    /// A download that ended unlocks its file at once, though a fetch's callbacks still hold the
    /// object: a retry sent right after a failure was refused as busy (once in five fresh-clone runs).
    func testReleaseUnlocksWhileTheObjectLivesOnAndLaterWritesFail() throws {
        let url = folder.appendingPathComponent("z.partial")
        let first = try PartialFile(url: url, busy: { HelperError.backend("busy") })
        let stillHeld = [first]
        first.release()
        let second = try PartialFile(url: url, busy: { HelperError.backend("busy") })
        XCTAssertThrowsError(try first.append(Data(repeating: 1, count: PartialFile.writeChunk)), "a closed file takes no writes")
        XCTAssertThrowsError(try first.sync())
        first.release()  // twice is harmless
        XCTAssertEqual(second.writtenBytes, 0)
        withExtendedLifetime(stillHeld) {}
    }

    func testListAndDelete() throws {
        let cache = IpswCache(home: folder)
        try cache.makeDirectory()
        XCTAssertEqual(cache.list().images, [])
        try Data(repeating: 1, count: 100).write(to: cache.finalURL("a.ipsw"))
        var notes = DownloadSidecar(url: "https://example.com/a.ipsw")
        notes.totalBytes = 100
        notes.sha256 = String(repeating: "0", count: 64)
        try notes.save(to: cache.sidecarURL(ofFile: cache.finalURL("a.ipsw")))
        try Data(repeating: 1, count: 30).write(to: cache.partialURL("b.ipsw"))
        var partialNotes = DownloadSidecar(url: "https://example.com/b.ipsw")
        partialNotes.totalBytes = 90
        partialNotes.sha256 = "ignored for a partial"
        try partialNotes.save(to: cache.sidecarURL(ofFile: cache.partialURL("b.ipsw")))

        let images = cache.list().images
        XCTAssertEqual(images.map(\.name), ["a.ipsw", "b.ipsw.partial"], "sidecars are hidden")
        XCTAssertEqual(images[0], IpswImage(name: "a.ipsw", path: cache.finalURL("a.ipsw").path, sizeBytes: 100, complete: true,
                                            url: "https://example.com/a.ipsw", totalBytes: 100, sha256: notes.sha256))
        XCTAssertEqual(images[1], IpswImage(name: "b.ipsw.partial", path: cache.partialURL("b.ipsw").path, sizeBytes: 30, complete: false,
                                            url: "https://example.com/b.ipsw", totalBytes: 90, sha256: nil))

        // A partial that a download holds cannot be deleted.
        let held = try PartialFile(url: cache.partialURL("b.ipsw"), busy: { HelperError.backend("busy") })
        XCTAssertThrowsError(try cache.delete("b.ipsw.partial")) { error in
            XCTAssertEqual((error as? HelperError)?.code, 1005)
        }
        withExtendedLifetime(held) {}
        try cache.delete("a.ipsw")
        XCTAssertEqual(cache.list().images.map(\.name), ["b.ipsw.partial"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.sidecarURL(ofFile: cache.finalURL("a.ipsw")).path))

        XCTAssertThrowsError(try cache.delete("a.ipsw")) { error in
            XCTAssertEqual((error as? HelperError)?.code, 1002)
            XCTAssertTrue((error as? HelperError)?.message.contains("vmtui ipsw list") == true)
        }
        for bad in ["", "../x", ".a.ipsw.json", "a/b"] {
            XCTAssertThrowsError(try cache.delete(bad), bad) { error in
                XCTAssertEqual((error as? HelperError)?.code, -32602, bad)
            }
        }
    }
}

final class IpswLatestTests: XCTestCase {
    #if os(Linux)
    /// Only a Mac with Apple silicon has a restore image to look up; the sentence is the fixture's.
    func testLinuxSaysMacOSGuestsNeedAnAppleSiliconMac() async throws {
        let fixture = try JSONCoding.decode(RPCErrorResponse.self, from: Data(contentsOf: repositoryRoot
            .appendingPathComponent("test/fixtures/protocol/ipsw-latest-unsupported.error.json"))).error
        do {
            _ = try await IpswLatest.lookup(stallSeconds: 1)
            XCTFail("ipsw/latest answered on Linux")
        } catch let error as HelperError {
            XCTAssertEqual(RPCErrorObject(error), fixture)
        }
    }
    #endif
}
