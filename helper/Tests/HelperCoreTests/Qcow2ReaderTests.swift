import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The qcow2 reader against `qemu-img convert -O raw` on images qemu-img makes here. The tests
/// that make images need qemu-img (in the toolchain root on Linux; `brew install qemu` on a Mac)
/// and say so when it is missing; the header refusals need nothing.
final class Qcow2ReaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try temporaryFolder("qcow2")
    }


    // MARK: Helpers

    func qemuImg() throws -> String {
        for folder in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] where FileOps.isRegularFile("\(folder)/qemu-img") {
            return "\(folder)/qemu-img"
        }
        throw XCTSkip("This test needs qemu-img (Debian: qemu-utils, in the toolchain root; macOS: brew install qemu).")
    }

    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = args
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(tool) \(args.joined(separator: " ")) failed: \(text)") }
        return text
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ text: String) { description = text }
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// 64 MiB and a sector (so the last cluster is partial): holes, random data, compressible
    /// text and a few bytes at the very end.
    func makeSource() throws -> String {
        let file = path("src.img")
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        XCTAssertEqual(ftruncate(fd, 64 << 20 + 512), 0)
        let urandom = FileHandle(forReadingAtPath: "/dev/urandom")!
        defer { try? urandom.close() }
        func random(_ count: Int) -> [UInt8] { [UInt8](urandom.readData(ofLength: count)) }
        func put(_ bytes: [UInt8], at offset: Int) { _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, off_t(offset)) } }
        put(random(3 << 20), at: 1 << 20)
        put(random(20_000), at: 20_480_000)
        put(Array(String(repeating: "a compressible line of text\n", count: 80_000).utf8), at: 40 << 20)
        put(Array("the last bytes".utf8), at: 64 << 20 + 400)
        return file
    }

    func sha256(_ file: String) throws -> String {
        try SHA256Digester.hashFile(URL(fileURLWithPath: file)) { _ in }
    }

    func importImage(_ source: String, to name: String, size: UInt64? = nil) throws -> String {
        let image = try DiskImage.inspect(source)
        let out = path(name)
        try image.importInto(URL(fileURLWithPath: out), size: size ?? image.virtualSize, progress: { _ in }, isCancelled: { false })
        return out
    }

    // MARK: Conversions

    func testEveryKindOfQcow2ReadsLikeQemuImgAndKeepsHoles() throws {
        let qemuImg = try qemuImg()
        let source = try makeSource()
        let want = try sha256(source)
        var variants: [(String, [String])] = [
            ("plain", []),
            ("deflate", ["-c"]),
            ("v2", ["-c", "-o", "compat=0.10"]),
            ("small-clusters", ["-c", "-o", "cluster_size=4096"]),
            ("big-clusters", ["-o", "cluster_size=2M"]),
        ]
        #if os(Linux)
        // qemu-img links libzstd on Debian, so the reader must find it too.
        XCTAssertTrue(ZstdDecompressor.isAvailable, "libzstd was not found")
        #endif
        if ZstdDecompressor.isAvailable { variants.append(("zstd", ["-c", "-o", "compression_type=zstd"])) }
        for (name, options) in variants {
            let qcow2 = path("\(name).qcow2")
            try run(qemuImg, ["convert", "-f", "raw", "-O", "qcow2"] + options + [source, qcow2])
            let before = try sha256(qcow2)
            let reference = path("\(name).qemu.raw")
            try run(qemuImg, ["convert", "-f", "qcow2", "-O", "raw", qcow2, reference])

            let ours = try importImage(qcow2, to: "\(name).raw")

            XCTAssertEqual(try sha256(ours), try sha256(reference), "\(name): differs from qemu-img's conversion")
            XCTAssertEqual(try sha256(ours), want, "\(name): differs from the source")
            XCTAssertEqual(FileOps.logicalSize(URL(fileURLWithPath: ours)), 64 << 20 + 512)
            XCTAssertLessThan(FileOps.allocatedBytes(URL(fileURLWithPath: ours)), 8 << 20, "\(name): holes were filled")
            XCTAssertEqual(try sha256(qcow2), before, "\(name): the source image changed")
        }
        XCTAssertEqual(try DiskImage.inspect(path("deflate.qcow2")).format, .qcow2)
    }

    func testCompressedImageReallyHasCompressedClusters() throws {
        // Guards the test above: an image without compressed clusters would prove nothing.
        let qemuImg = try qemuImg()
        let source = try makeSource()
        try run(qemuImg, ["convert", "-f", "raw", "-O", "qcow2", "-c", source, path("c.qcow2")])
        XCTAssertLessThan(FileOps.logicalSize(URL(fileURLWithPath: path("c.qcow2"))), 4 << 20,
                          "the compressible text should have shrunk")
    }

    func testZeroClustersAndUnallocatedOnesReadAsZerosAndStayHoles() throws {
        let qemuImg = try qemuImg()
        let qemuIO = qemuImg.replacingOccurrences(of: "qemu-img", with: "qemu-io")
        guard FileOps.isRegularFile(qemuIO) else { throw XCTSkip("This test needs qemu-io (beside qemu-img).") }
        let image = path("z.qcow2")
        try run(qemuImg, ["create", "-f", "qcow2", image, "8M"])
        try run(qemuIO, ["-f", "qcow2", "-c", "write -P 0xab 0 1M", "-c", "write -z 256k 256k", "-c", "write -P 0xcd 4M 64k", image])
        let reference = path("z.qemu.raw")
        try run(qemuImg, ["convert", "-O", "raw", image, reference])

        let ours = try importImage(image, to: "z.raw")

        XCTAssertEqual(try sha256(ours), try sha256(reference))
        let data = try Data(contentsOf: URL(fileURLWithPath: ours))
        XCTAssertEqual(data[100], 0xAB)
        XCTAssertEqual(data[300 << 10], 0)
        XCTAssertEqual(data[4 << 20], 0xCD)
        XCTAssertLessThanOrEqual(FileOps.allocatedBytes(URL(fileURLWithPath: ours)), 1 << 20)
    }

    func testRawImagesAreCopiedSparselyAndGrown() throws {
        let source = try makeSource()
        let before = try sha256(source)
        let ours = try importImage(source, to: "copy.raw", size: 128 << 20)
        XCTAssertEqual(FileOps.logicalSize(URL(fileURLWithPath: ours)), 128 << 20)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: ours)).readData(ofLength: 64 << 20 + 512)
        XCTAssertEqual(head, try Data(contentsOf: URL(fileURLWithPath: source)))
        XCTAssertLessThan(FileOps.allocatedBytes(URL(fileURLWithPath: ours)), 8 << 20)
        XCTAssertEqual(try sha256(source), before)
    }

    // MARK: Refusals

    func testImagesThatNeedMoreThanOneFileAreRefusedWithASentence() throws {
        let qemuImg = try qemuImg()
        try run(qemuImg, ["create", "-f", "qcow2", path("base.qcow2"), "1M"])
        try run(qemuImg, ["create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", path("overlay.qcow2")])
        try run(qemuImg, ["create", "-f", "qcow2", "-o", "data_file=ext.raw", path("ext.qcow2"), "1M"])
        try run(qemuImg, ["create", "-f", "qcow2", "-o", "extended_l2=on", path("el2.qcow2"), "1M"])
        try run(qemuImg, ["create", "-f", "qcow2", "--object", "secret,id=s0,data=hunter2", "-o", "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10",
                          path("luks.qcow2"), "1M"])
        let expected = ["overlay": "backing file ('base.qcow2')", "ext": "external data file", "el2": "extended L2", "luks": "encrypted"]
        for (name, words) in expected {
            XCTAssertThrowsError(try importImage(path("\(name).qcow2"), to: "\(name).out"), name) { error in
                XCTAssertEqual((error as? HelperError)?.kind, "unsupported", "\(name): \(error)")
                XCTAssertTrue((error as? HelperError)?.message.contains(words) == true, "\(name): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("\(name).out")), "\(name): a destination was left")
        }
    }

    func header(version: UInt32 = 3, crypt: UInt32 = 0, incompatible: UInt64 = 0) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 112)
        func put32(_ v: UInt32, _ at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32(i))) } }
        func put64(_ v: UInt64, _ at: Int) { for i in 0..<8 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64(i))) } }
        bytes[0..<4] = [0x51, 0x46, 0x49, 0xFB]
        put32(version, 4)
        put32(16, 20)            // 64 KiB clusters
        put64(1 << 20, 24)       // 1 MiB
        put32(crypt, 32)
        put32(1, 36)             // one L1 entry
        put64(0x30000, 40)
        put64(incompatible, 72)
        put32(112, 100)
        return bytes
    }

    func testHeaderRefusals() {
        XCTAssertNoThrow(try Qcow2Header.parse(header(), file: "x"))
        XCTAssertNoThrow(try Qcow2Header.parse(header(incompatible: 1), file: "x"), "dirty images read the same")
        let cases: [([UInt8], String)] = [
            (header(version: 4), "version 4"),
            (header(crypt: 1), "encrypted"),
            (header(incompatible: 1 << 1), "corrupt"),
            (header(incompatible: 1 << 9), "newer than vmtui knows"),
            (Array(header().prefix(50)), "does not start with a qcow2 header"),
        ]
        for (bytes, words) in cases {
            XCTAssertThrowsError(try Qcow2Header.parse(bytes, file: "/imgs/x.qcow2")) { error in
                XCTAssertTrue((error as? HelperError)?.message.contains(words) == true, "\(words): \(error)")
                XCTAssertTrue((error as? HelperError)?.message.contains("/imgs/x.qcow2") == true)
            }
        }
    }

    func testCutShortImageIsRefusedAndLeavesNothing() throws {
        let qemuImg = try qemuImg()
        let source = try makeSource()
        let image = path("cut.qcow2")
        try run(qemuImg, ["convert", "-f", "raw", "-O", "qcow2", source, image])
        XCTAssertEqual(truncate(image, 2 << 20), 0)
        XCTAssertThrowsError(try importImage(image, to: "cut.raw")) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("cut short") == true, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("cut.raw")))
    }

    func testOtherFormatsAreNamedWithWhatToDo() throws {
        let xz = path("disk.raw.xz")
        try Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + [UInt8](repeating: 1, count: 100)).write(to: URL(fileURLWithPath: xz))
        XCTAssertThrowsError(try DiskImage.inspect(xz)) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("xz-compressed") == true, "\(error)")
        }
        var iso = [UInt8](repeating: 0, count: 0x9000)
        iso[0x8001..<0x8006] = ArraySlice("CD001".utf8)
        try Data(iso).write(to: URL(fileURLWithPath: path("x.iso")))
        XCTAssertThrowsError(try DiskImage.inspect(path("x.iso"))) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("--iso") == true, "\(error)")
        }
    }

    func testCancelStopsTheImportAndLeavesNothing() throws {
        let qemuImg = try qemuImg()
        let source = try makeSource()
        try run(qemuImg, ["convert", "-f", "raw", "-O", "qcow2", "-c", source, path("c.qcow2")])
        let image = try DiskImage.inspect(path("c.qcow2"))
        let out = URL(fileURLWithPath: path("c.raw"))
        XCTAssertThrowsError(try image.importInto(out, size: image.virtualSize, progress: { _ in }, isCancelled: { true })) { error in
            XCTAssertEqual((error as? HelperError)?.kind, "cancelled")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
