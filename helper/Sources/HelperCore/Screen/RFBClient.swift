import Foundation
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small RFB 3.8 (VNC) client that keeps the guest's framebuffer in memory: the one frame path
/// of both backends (QEMU's VNC server, Virtualization.framework's `_VZVNCServer`). It asks for
/// 32-bit true colour (bytes R, G, B, pad) and Raw, CopyRect and DesktopSize; updates are asked for
/// only while someone looks (`touch()`), at most `maxRate` a second, so an unwatched screen costs nothing.
public final class RFBClient: @unchecked Sendable {
    public struct Snapshot {
        public var frame: RGBFrame
        /// Counts completed updates: equal generations are equal pixels.
        public var generation: Int
    }

    private let fd: Int32
    private let reader: RFBReader
    private let lock = NSCondition()
    private var width = 0
    private var height = 0
    private var pixels: [UInt8] = []  // RGB, width·height·3
    private var generation = 0
    private var failure: String?
    private var wantUntil = Date.distantPast
    private var requestPending = false
    private var lastRequest = Date.distantPast
    private var memo: ScaledFrame?
    private let writeLock = NSLock()
    public let serverName: String
    static let maxRate: TimeInterval = 0.05

    /// Takes a connected stream socket and completes the handshake within `timeout`. The socket is
    /// closed on failure and when the client is closed.
    public init(fd: Int32, password: String?, timeout: TimeInterval = 10) throws {
        self.fd = fd
        _ = Posix.ignoreSIGPIPE  // a server that went away is EPIPE on write, not the end of the host
        SocketCalls.noSigPipe(fd)
        reader = RFBReader(fd: fd)
        let greeting: RFBHandshake.ServerInit
        do {
            greeting = try RFBHandshake.run(reader, fd: fd, password: password, deadline: Date().addingTimeInterval(timeout))
        } catch {
            Posix.close(fd)
            throw error
        }
        serverName = greeting.name
        let (w, h) = (greeting.width, greeting.height)
        width = w
        height = h
        pixels = [UInt8](repeating: 0, count: w * h * 3)
        var setup = RFBMessages.setPixelFormat() + RFBMessages.setEncodings([0, 1, -223])
        setup += RFBMessages.updateRequest(incremental: false, width: w, height: h)
        requestPending = true
        lastRequest = Date()
        wantUntil = Date().addingTimeInterval(3)
        guard Posix.writeAll(fd, Data(setup)) == 0 else {
            Posix.close(fd)
            throw HelperError.backend("The VNC server closed the connection right after the handshake.")
        }
        let thread = Thread { [weak self] in self?.readLoop() }
        thread.name = "rfb-reader"
        thread.start()
    }

    deinit { Posix.close(fd) }

    /// Ends the connection; the reader stops and later calls fail.
    public func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Someone is looking: keep updates coming for a few seconds, and ask now if none is on its way.
    public func touch() {
        lock.lock()
        wantUntil = Date().addingTimeInterval(3)
        let ask = !requestPending && failure == nil
        if ask { requestPending = true; lastRequest = Date() }
        let (w, h) = (width, height)
        lock.unlock()
        if ask { send(RFBMessages.updateRequest(incremental: true, width: w, height: h)) }
    }

    /// The framebuffer now; waits (up to `timeout`) for the first full update after connecting.
    public func snapshot(timeout: TimeInterval = 10) throws -> Snapshot {
        try snapshot(timeout: timeout, generationOnly: false)
    }

    private func snapshot(timeout: TimeInterval = 10, generationOnly: Bool) throws -> Snapshot {
        touch()
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while generation == 0 && failure == nil {
            if !lock.wait(until: deadline) { break }
        }
        if let failure { throw HelperError.backend(failure) }
        guard generation > 0 else { throw HelperError.backend("The VNC server sent no picture within \(Int(timeout)) s.") }
        if generationOnly { return Snapshot(frame: RGBFrame(width: 0, height: 0, pixels: []), generation: generation) }
        return Snapshot(frame: RGBFrame(width: width, height: height, pixels: pixels), generation: generation)
    }

    /// The connection broke (the server went away): a new client is needed.
    public var isBroken: Bool { lock.locked { failure != nil } }

    /// The screen scaled to at most `maxWidth`×`maxHeight` (never up), and its digest. While no
    /// update arrives the last answer is returned as it was: an unchanged screen costs no work.
    public func scaled(maxWidth: Int, maxHeight: Int) throws -> ScaledFrame {
        _ = try snapshot(generationOnly: true)
        lock.lock()
        if let memo, memo.generation == generation, memo.maxWidth == maxWidth, memo.maxHeight == maxHeight {
            lock.unlock()
            return memo
        }
        lock.unlock()
        let snap = try snapshot()
        let frame = snap.frame.scaled(width: min(maxWidth, snap.frame.width), height: min(maxHeight, snap.frame.height))
        let result = ScaledFrame(generation: snap.generation, maxWidth: maxWidth, maxHeight: maxHeight,
                                 sourceWidth: snap.frame.width, sourceHeight: snap.frame.height, frame: frame, digest: frame.digest)
        lock.locked { memo = result }
        return result
    }

    public struct ScaledFrame {
        var generation: Int, maxWidth: Int, maxHeight: Int
        public var sourceWidth: Int, sourceHeight: Int
        public var frame: RGBFrame
        public var digest: String
    }

    /// Presses and releases X keysyms: each chord's keys go down in order and come up in reverse.
    public func sendKeys(_ chords: [[UInt32]]) throws {
        for chord in chords {
            var bytes: [UInt8] = []
            for k in chord { bytes += RFBMessages.key(k, down: true) }
            for k in chord.reversed() { bytes += RFBMessages.key(k, down: false) }
            if let failure = lock.locked({ failure }) { throw HelperError.backend(failure) }
            guard send(bytes) else { throw HelperError.backend("The VNC connection to the guest's screen is closed.") }
        }
    }

    @discardableResult
    private func send(_ bytes: [UInt8]) -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        return Posix.writeAll(fd, Data(bytes)) == 0
    }

    private func readLoop() {
        do {
            while true { try readMessage() }
        } catch {
            lock.lock()
            failure = (error as? HelperError)?.message ?? "The VNC connection to the guest's screen failed."
            lock.broadcast()
            lock.unlock()
        }
    }

    private func readMessage() throws {
        let type = try reader.u8()
        switch type {
        case 0:
            _ = try reader.u8()
            let count = try reader.u16()
            for _ in 0..<count { try readRect() }
            finishUpdate()
        case 1:  // SetColourMapEntries: not used with true colour, skipped
            _ = try reader.bytes(1)
            _ = try reader.u16()
            _ = try reader.bytes(Int(try reader.u16()) * 6)
        case 2: break  // Bell
        case 3:  // ServerCutText
            _ = try reader.bytes(3)
            _ = try reader.bytes(Int(try reader.u32()))
        default:
            throw HelperError.backend("The VNC server sent a message of type \(type), which vmtui does not know.")
        }
    }

    private func readRect() throws {
        let x = Int(try reader.u16()), y = Int(try reader.u16())
        let w = Int(try reader.u16()), h = Int(try reader.u16())
        let encoding = Int32(bitPattern: try reader.u32())
        switch encoding {
        case 0:
            let raw = try reader.bytes(w * h * 4)
            lock.lock()
            defer { lock.unlock() }
            guard x + w <= width, y + h <= height else { return }
            raw.withUnsafeBufferPointer { src in
                for row in 0..<h {
                    var s = row * w * 4, d = ((y + row) * width + x) * 3
                    for _ in 0..<w {
                        pixels[d] = src[s]; pixels[d + 1] = src[s + 1]; pixels[d + 2] = src[s + 2]
                        s += 4; d += 3
                    }
                }
            }
        case 1:
            let sx = Int(try reader.u16()), sy = Int(try reader.u16())
            lock.lock()
            defer { lock.unlock() }
            guard x + w <= width, y + h <= height, sx + w <= width, sy + h <= height else { return }
            var block: [UInt8] = []  // the source first: it may overlap the target
            block.reserveCapacity(w * h * 3)
            for row in 0..<h { let s = ((sy + row) * width + sx) * 3; block += pixels[s..<(s + w * 3)] }
            for row in 0..<h {
                let d = ((y + row) * width + x) * 3
                pixels.replaceSubrange(d..<(d + w * 3), with: block[(row * w * 3)..<((row + 1) * w * 3)])
            }
        case -223:
            lock.lock()
            width = w
            height = h
            pixels = [UInt8](repeating: 0, count: w * h * 3)
            lock.unlock()
            send(RFBMessages.updateRequest(incremental: false, width: w, height: h))
        default:
            throw HelperError.backend("The VNC server sent pixels in encoding \(encoding), which vmtui did not ask for.")
        }
    }

    /// One update is complete: count it, and ask for the next one if someone is still looking.
    private func finishUpdate() {
        lock.lock()
        generation += 1
        lock.broadcast()
        let now = Date()
        let more = now < wantUntil
        let wait = max(0, RFBClient.maxRate - now.timeIntervalSince(lastRequest))
        requestPending = more
        let (w, h) = (width, height)
        lock.unlock()
        guard more else { return }
        if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
        lock.locked { lastRequest = Date() }
        send(RFBMessages.updateRequest(incremental: true, width: w, height: h))
    }
}
