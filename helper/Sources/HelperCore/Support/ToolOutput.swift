import Foundation

/// Runs a short-lived tool (`qemu-system-… --version`, `arp -an`) and returns its exit status and
/// standard output; nil when it cannot run or does not finish within `timeout` (then it is ended).
enum ToolOutput {
    static func run(_ path: String, _ arguments: [String], timeout: TimeInterval = 10) -> (status: Int32, text: String)? {
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = Received()
        let read = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            data.set(output.fileHandleForReading.readDataToEndOfFile())
            read.signal()
        }
        guard read.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data.current, as: UTF8.self))
    }

    /// The reader thread's bytes, handed over under a lock.
    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        var current: Data { lock.locked { data } }
        func set(_ bytes: Data) { lock.locked { data = bytes } }
    }
}
