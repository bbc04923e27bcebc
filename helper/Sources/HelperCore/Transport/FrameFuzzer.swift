import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vmtui-helper fuzz`: feeds random and mutated frames to a real Connection with the serve's or a
/// host's method table, one socket pair per frame, and counts what happened (scripts/fuzz.sh).
/// Seeded: the same seed gives the same frames, so a failure replays.
public enum FrameFuzzer {
    public enum Target: String, Sendable { case serve, host }

    public struct Counts: Sendable {
        public var frames = 0, valid = 0, mutated = 0, random = 0
        public var answered = 0, closedByPeer = 0, hangs = 0
        public var startRSS: UInt64 = 0, maxRSS: UInt64 = 0
        public var firstHang: Int?
    }

    /// Methods that would start guests, install, or reach the network are refused (-32600) so a
    /// mutated frame cannot boot a VM or download; everything else runs for real.
    static let refused: Set<String> = ["vm/start", "vm/install", "ipsw/download", "ipsw/latest", "shutdown"]

    public static func run(target: Target, seed: UInt64, count: Int, deadline: TimeInterval = 5,
                           progress: (Int) -> Void = { _ in }) throws -> Counts {
        let home = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vmtui-fuzz-\(getpid())-\(seed)")
        try SafeFile.makeFolder(home)
        defer { try? FileManager.default.removeItem(at: home) }
        let router = try makeRouter(target, home: home)
        var rng = SplitMix64(seed: seed)
        var counts = Counts()
        counts.startRSS = residentBytes()
        counts.maxRSS = counts.startRSS
        let methods = router.methods + ["initialize", "exit", "$/cancelRequest", "vm/bogus", "", "fuzz/unknown"]
        for index in 0..<count {
            let (frame, wellFramed, kind) = FrameMaker(methods: methods).make(&rng)
            switch kind {
            case 0: counts.valid += 1
            case 1: counts.mutated += 1
            default: counts.random += 1
            }
            switch feed(router, frame, wellFramed: wellFramed, deadline: deadline) {
            case .answered: counts.answered += 1
            case .closed: counts.closedByPeer += 1
            case .hang:
                counts.hangs += 1
                if counts.firstHang == nil { counts.firstHang = index }
            }
            counts.frames += 1
            if index % 1000 == 999 {
                counts.maxRSS = max(counts.maxRSS, residentBytes())
                progress(index + 1)
            }
        }
        counts.maxRSS = max(counts.maxRSS, residentBytes())
        return counts
    }

    enum Outcome { case answered, closed, hang }

    /// One frame on a fresh connection, then a sentinel request. A well-framed frame must let the
    /// sentinel be answered; any other may instead close the stream. Either within `deadline`,
    /// and the connection must end within `deadline` of our end closing, or it is a hang.
    static func feed(_ router: Router, _ frame: [UInt8], wellFramed: Bool, deadline: TimeInterval) -> Outcome {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { return .hang }
        #else
        guard socketpair(AF_UNIX, SOCK_STREAM, 0, &fds) == 0 else { return .hang }
        #endif
        let ended = DispatchSemaphore(value: 0)
        let connection = Connection(input: fds[0], output: fds[0], name: "fuzz", ownsDescriptors: true)
        connection.start(router: router) { _ in ended.signal() }
        let mine = fds[1]
        defer { Posix.close(mine) }
        var bytes = frame
        bytes += MessageFramer.frame(Data(#"{"jsonrpc":"2.0","id":"fz-sentinel","method":"fuzz/sentinel"}"#.utf8))
        if Posix.writeAll(mine, Data(bytes)) != 0 { return ended.wait(timeout: .now() + deadline) == .success ? .closed : .hang }
        if !wellFramed { shutdown(mine, Int32(SHUT_WR)) }
        let outcome = awaitSentinel(mine, deadline: deadline)
        shutdown(mine, Int32(SHUT_RDWR))
        guard ended.wait(timeout: .now() + deadline) == .success else { return .hang }
        if outcome == .hang && wellFramed { return .hang }
        return outcome == .answered ? .answered : .closed
    }

    private static func awaitSentinel(_ fd: Int32, deadline: TimeInterval) -> Outcome {
        var framer = MessageFramer()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        let until = Date().addingTimeInterval(deadline)
        while Date() < until {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { Posix.read(fd, into: $0) }
            if n <= 0 { return .closed }
            guard let bodies = try? framer.push(buffer[0..<n]) else { return .closed }
            for body in bodies where body.range(of: Data(#""fz-sentinel""#.utf8)) != nil { return .answered }
        }
        return .hang
    }

    static func makeRouter(_ target: Target, home: URL) throws -> Router {
        switch target {
        case .serve:
            let vms = VMService(store: BundleStore(home: home), limits: { _ in
                VMLimits(hostCores: 4, hostMemoryBytes: 8 << 30, freeDiskBytes: 64 << 30)
            })
            var env = ProcessInfo.processInfo.environment
            env["VMTUI_HOME"] = home.path
            let router = Serve.makeRouter(session: ServeSession(), vms: vms, environment: env)
            router.setAdmission { method in
                refused.contains(method) ? .invalidRequest("'\(method)' is not run by the fuzzer.") : nil
            }
            return router
        case .host:
            let folder = home.appendingPathComponent("vms/fz1", isDirectory: true)
            try SafeFile.makeFolder(folder.deletingLastPathComponent())
            try SafeFile.makeFolder(folder)
            let host = VMHost(bundle: VMBundle(name: "fz1", url: folder))
            return host.makeRouter()
        }
    }

    static func residentBytes() -> UInt64 {
        #if os(Linux)
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        return (ProcFS.parseStatmResidentPages(text) ?? 0) * UInt64(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same frames on every machine.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Makes one frame: a valid message (kind 0), a mutated one (1) or random bytes (2). `wellFramed`
/// says the header and length are intact, so the stream must go on after it.
struct FrameMaker {
    let methods: [String]
    static let keys = ["name", "force", "timeoutMs", "vm", "data", "intervalMs", "url", "sha256", "cpuCount",
                       "memoryBytes", "diskBytes", "boot", "kind", "kernel", "cmdline", "iso", "newName", "source",
                       "target", "note", "detachISO", "sparseOvercommit", "os", "ipsw", "id", "deadlineMs",
                       "clientName", "clientVersion", "protocolVersion", "", "é", "__proto__"]

    func make(_ r: inout SplitMix64) -> (frame: [UInt8], wellFramed: Bool, kind: Int) {
        let body = message(&r)
        switch r.below(10) {
        case 0..<4:
            return (Array(MessageFramer.frame(Data(body))), true, 0)
        case 4..<8:
            return (mutate(Array(MessageFramer.frame(Data(body))), &r), false, 1)
        case 8:
            let bytes = (0..<r.below(300)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
            return (bytes, false, 2)
        default:
            // The JSON mutated, the frame's length kept right: the stream must go on.
            let mutatedBody = mutate(body, &r)
            return (Array(MessageFramer.frame(Data(mutatedBody))), true, 1)
        }
    }

    func message(_ r: inout SplitMix64) -> [UInt8] {
        var object: [String: JSONValue] = ["jsonrpc": r.chance(95) ? .string("2.0") : value(&r, depth: 1)]
        switch r.below(10) {
        case 0..<6:
            object["id"] = r.chance(80) ? .number(Double(r.below(1000))) : value(&r, depth: 1)
            object["method"] = .string(methods[r.below(methods.count)])
        case 6..<8:
            object["method"] = .string(methods[r.below(methods.count)])
        case 8:
            object["id"] = .number(Double(r.below(50)))
            object[r.chance(50) ? "result" : "error"] = value(&r, depth: 2)
        default:
            return Array((try? JSONCoding.encode(value(&r, depth: 3))) ?? Data("[]".utf8))
        }
        if r.chance(85) { object["params"] = r.chance(85) ? params(&r) : value(&r, depth: 2) }
        return Array((try? JSONCoding.encode(JSONValue.object(object))) ?? Data("{}".utf8))
    }

    func params(_ r: inout SplitMix64) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for _ in 0..<r.below(5) {
            let key = r.chance(90) ? Self.keys[r.below(Self.keys.count)] : string(&r)
            members[key] = value(&r, depth: 2)
        }
        return .object(members)
    }

    func value(_ r: inout SplitMix64, depth: Int) -> JSONValue {
        switch r.below(depth > 0 ? 9 : 6) {
        case 0: return .null
        case 1: return .bool(r.chance(50))
        case 2: return .number([0, 1, -1, 250, 30_000, 1e300, -1e300, 0.5, 9_007_199_254_740_993, Double(r.below(1 << 20))][r.below(10)])
        case 3: return .string(["fz1", "fz2", "", "..", "a/b", "x".padding(toLength: 70, withPad: "x", startingAt: 0), "/dev/null", "kernel"][r.below(8)])
        case 4, 5: return .string(string(&r))
        case 6: return .array((0..<r.below(4)).map { _ in value(&r, depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<r.below(4) { members[Self.keys[r.below(Self.keys.count)]] = value(&r, depth: depth - 1) }
            return .object(members)
        }
    }

    func string(_ r: inout SplitMix64) -> String {
        let alphabet = Array("abcXYZ09._-/ \\\"\u{0}\u{7f}é€😀\n\r:")
        return String((0..<r.below(24)).map { _ in alphabet[r.below(alphabet.count)] })
    }

    func mutate(_ input: [UInt8], _ r: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + r.below(4)) {
            let at = b.isEmpty ? 0 : r.below(b.count)
            switch r.below(10) {
            case 0: if !b.isEmpty { b[at] ^= UInt8(1 << r.below(8)) }
            case 1: if !b.isEmpty { b[at] = UInt8(truncatingIfNeeded: r.next()) }
            case 2: b.insert(contentsOf: (0..<1 + r.below(8)).map { _ in UInt8(truncatingIfNeeded: r.next()) }, at: at)
            case 3: if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + 1 + r.below(16))) }
            case 4: b = Array(b.prefix(at))
            case 5: if !b.isEmpty { b.insert(contentsOf: b[at..<min(b.count, at + 1 + r.below(32))], at: at) }
            case 6:
                let lengths = ["0", "-1", "99999999999999999999", "67108865", "1e3", " 12", "", "4294967296", "\(r.below(4000))"]
                b = replaceLength(b, with: lengths[r.below(lengths.count)])
            case 7: b = replaceFirst(b, "\r\n", with: "\n")
            case 8: b = replaceFirst(b, "Content-Length", with: ["content-length", "CONTENT-LENGTH", "Content-Type", "Content-Length:", "X"][r.below(5)])
            default: b.insert(contentsOf: Array("X-Fuzz: \(r.below(100))\r\n".utf8), at: 0)
            }
        }
        return b
    }

    private func replaceFirst(_ b: [UInt8], _ needle: String, with replacement: String) -> [UInt8] {
        let n = Array(needle.utf8)
        guard n.count <= b.count else { return b }
        for i in 0...(b.count - n.count) where Array(b[i..<i + n.count]) == n {
            return Array(b[..<i]) + Array(replacement.utf8) + Array(b[(i + n.count)...])
        }
        return b
    }

    private func replaceLength(_ b: [UInt8], with value: String) -> [UInt8] {
        let prefix = Array("Content-Length: ".utf8)
        guard b.count > prefix.count, Array(b[0..<prefix.count]) == prefix else { return b }
        var end = prefix.count
        while end < b.count, b[end] >= 48, b[end] <= 57 { end += 1 }
        return prefix + Array(value.utf8) + Array(b[end...])
    }
}
