import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The guest's virtio console as two pipes: never the process's stdin/stdout, which carry
/// JSON-RPC in `serve` and are the ready pipe in `host`. Ends handed to the framework are
/// `guestReads` and `guestWrites` (VZFileHandleSerialPortAttachment); vmtui keeps the others.
final class VZConsolePipes: @unchecked Sendable {
    /// The guest reads what `write` sends.
    let guestReads: FileHandle
    /// The guest writes here; the reader thread delivers it.
    let guestWrites: FileHandle
    private let toGuest: Int32
    private let fromGuest: Int32
    private let lock = NSLock()
    private var closed = false

    init() throws {
        guard let input = Posix.makePipe() else { throw HelperError.backend("Could not make a pipe for the guest console: \(Posix.describe(errno)).") }
        guard let output = Posix.makePipe() else {
            Posix.close(input.read)
            Posix.close(input.write)
            throw HelperError.backend("Could not make a pipe for the guest console: \(Posix.describe(errno)).")
        }
        guestReads = FileHandle(fileDescriptor: input.read, closeOnDealloc: true)
        toGuest = input.write
        fromGuest = output.read
        guestWrites = FileHandle(fileDescriptor: output.write, closeOnDealloc: true)
    }

    deinit {
        Posix.close(toGuest)
        Posix.close(fromGuest)
    }

    /// Types `bytes` into the guest's console; false once the console is closed.
    func write(_ bytes: [UInt8]) -> Bool {
        // Not under the lock: a guest that does not read can keep this blocked until it stops.
        guard !isClosed else { return false }
        return Posix.writeAll(toGuest, Data(bytes)) == 0
    }

    var isClosed: Bool { lock.locked { closed } }

    /// Delivers what the guest writes, on a thread of its own, until `closeGuestSide`.
    func startReader(name: String, _ deliver: @escaping @Sendable ([UInt8]) -> Void) {
        let fd = fromGuest
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
                if n <= 0 { break }
                deliver(Array(buffer[0..<n]))
            }
        }
        thread.name = name
        thread.start()
    }

    /// After the guest has stopped: the reader drains what is left and ends; writes fail.
    func closeGuestSide() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        try? guestWrites.close()
        try? guestReads.close()
    }
}
