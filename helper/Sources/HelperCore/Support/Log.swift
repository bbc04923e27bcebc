import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes "vmtui-helper: ..." lines to stderr. Never stdout: that carries frames only.
/// Debug lines appear when VMTUI_HELPER_DEBUG=1.
public enum Log {
    private static let lock = NSLock()
    public static let debugEnabled = ProcessInfo.processInfo.environment["VMTUI_HELPER_DEBUG"] == "1"

    public static func error(_ message: @autoclosure () -> String) { write(message()) }
    public static func info(_ message: @autoclosure () -> String) { write(message()) }
    public static func debug(_ message: @autoclosure () -> String) {
        if debugEnabled { write("debug: " + message()) }
    }

    private static func write(_ message: String) {
        let bytes = Array("vmtui-helper: \(message)\n".utf8)
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { STDERR_WRITE($0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }  // stderr is gone; nowhere left to complain.
            offset += n
        }
    }

    private static func STDERR_WRITE(_ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(STDERR_FILENO, pointer, count)
        #else
        return Darwin.write(STDERR_FILENO, pointer, count)
        #endif
    }
}
