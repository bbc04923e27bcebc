import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A backend that can show the guest's screen and type on its keyboard. QEMU is one; the VZ
/// backend is not yet (its `_VZVNCServer` path is unfinished), and the host says so with 1010.
public protocol ScreenBackend: AnyObject {
    /// The screen as PNG ("png") or binary PPM ("ppm") bytes.
    func screenDump(format: String) throws -> [UInt8]
    /// Each element: qcodes pressed together (ScreenKeys.qcodes).
    func sendKeys(_ chords: [[String]]) throws
    var vnc: VNCInfoResult { get }
}

enum ScreenFiles {
    /// Reads a file qemu just wrote in the bundle and removes it; refuses a symlink.
    static func take(_ url: URL) throws -> [UInt8] {
        defer { unlink(url.path) }
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.io(path: url.path, errno: errno, action: "read the screen dump") }
        defer { Posix.close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n < 0 { throw HelperError.io(path: url.path, errno: errno, action: "read the screen dump") }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

extension QEMUBackend: ScreenBackend {
    public func screenDump(format: String) throws -> [UInt8] {
        guard launch.config.display != nil else { throw noDisplay() }
        let file = launch.bundle.url.appendingPathComponent("screendump-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(format)")
        unlink(file.path)  // qemu creates it; nothing of ours may already stand there
        var args: [String: JSONValue] = ["filename": .string(file.path)]
        if format == "png" { args["format"] = .string("png") }
        do { try qmpForScreen().execute("screendump", arguments: args, timeout: 10) } catch {
            unlink(file.path)
            throw error
        }
        return try ScreenFiles.take(file)
    }

    public func sendKeys(_ chords: [[String]]) throws {
        guard launch.config.display != nil else { throw noDisplay() }
        let qmp = try qmpForScreen()
        for chord in chords {
            let keys = JSONValue.array(chord.map { .object(["type": .string("qcode"), "data": .string($0)]) })
            try qmp.execute("send-key", arguments: ["keys": keys], timeout: 5)
        }
    }

    public var vnc: VNCInfoResult {
        VNCInfoResult(socketPath: launch.bundle.url.appendingPathComponent(QEMUDisplay.vncSocket).path, address: nil, password: nil)
    }

    func noDisplay() -> HelperError {
        .unsupported("VM '\(launch.bundle.name)' has no display; give it one with 'vmtui configure \(launch.bundle.name) --display 1280x800' while it is stopped, then start it again.")
    }
}
