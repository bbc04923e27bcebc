import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sampling real processes, the per-VM host's host/sample answer, and stats/subscribe on a real
/// serve connection.
final class StatsSamplingTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try temporaryFolder("stats", create: false)
        try FileOps.makeDirectory(dir)
    }


    func testSamplesThisProcess() throws {
        // Burn a little CPU so the figure cannot be zero.
        var x = 0.0
        for i in 0..<2_000_000 { x += sqrt(Double(i)) }
        XCTAssertGreaterThan(x, 0)
        let sample = try ProcessSampler.sample(pid: getpid())
        XCTAssertGreaterThan(sample.cpuSeconds, 0)
        XCTAssertGreaterThan(sample.residentBytes, 1 << 20)
        XCTAssertGreaterThan(sample.ageSeconds, 0)
        XCTAssertNotNil(HostLoad.cpuTicks())
        let memory = try XCTUnwrap(HostLoad.memory())
        XCTAssertGreaterThan(memory.usedBytes, 0)
        XCTAssertLessThanOrEqual(memory.usedBytes, memory.totalBytes)
    }

    func testAnExitedProcessIsGone() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        XCTAssertThrowsError(try ProcessSampler.sample(pid: child.processIdentifier)) {
            XCTAssertEqual($0 as? ProcessSampleError, .gone(pid: child.processIdentifier))
        }
    }

    #if os(Linux)
    func testReadsAProcLikeFolder() throws {
        let proc = dir.appendingPathComponent("proc")
        let pidDir = proc.appendingPathComponent("77")
        try FileManager.default.createDirectory(at: pidDir, withIntermediateDirectories: true)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        try "77 (qemu (x) y) S 1 77 77 0 -1 0 0 0 0 0 \(Int(3 * ticks)) \(Int(ticks)) 0 0 20 0 1 0 \(Int(100 * ticks)) 0 9 0\n"
            .write(to: pidDir.appendingPathComponent("stat"), atomically: true, encoding: .utf8)
        try "1000 300 10 1 0 200 0\n".write(to: pidDir.appendingPathComponent("statm"), atomically: true, encoding: .utf8)
        try "110.00 50.00\n".write(to: proc.appendingPathComponent("uptime"), atomically: true, encoding: .utf8)
        let sample = try ProcessSampler.sampleProc(pid: 77, root: proc.path)
        XCTAssertEqual(sample.cpuSeconds, 4, accuracy: 1e-6)
        XCTAssertEqual(sample.residentBytes, 300 * page)
        XCTAssertEqual(sample.ageSeconds, 10, accuracy: 1e-6)
        // Without statm, status's VmRSS.
        try FileManager.default.removeItem(at: pidDir.appendingPathComponent("statm"))
        try "Name:\tqemu\nVmRSS:\t 2048 kB\n".write(to: pidDir.appendingPathComponent("status"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ProcessSampler.sampleProc(pid: 77, root: proc.path).residentBytes, 2048 * 1024)
        XCTAssertThrowsError(try ProcessSampler.sampleProc(pid: 78, root: proc.path)) {
            XCTAssertEqual($0 as? ProcessSampleError, .gone(pid: 78))
        }
    }
    #endif

    // MARK: host/sample

    let status = HostStatus(state: .running, stateReason: nil, hostPid: 10, vmPid: 11, accelerator: "tcg",
                            sshAddress: "127.0.0.1:40022", startedAt: "2025-01-02T03:04:05Z")

    func testHostSampleCarriesTheMeasuredProcess() {
        let s = HostSampling.sample(status: status, startDate: Date(), outcome: { nil }) { pid in
            XCTAssertEqual(pid, 11)
            return ProcessSample(cpuSeconds: 1.5, residentBytes: 4096, ageSeconds: 30)
        }
        XCTAssertEqual(s, HostSample(state: .running, cpuSeconds: 1.5, residentBytes: 4096, vmPid: 11, uptimeSeconds: 30,
                                     address: nil, sshAddress: "127.0.0.1:40022", error: nil))
    }

    func testHostSampleLeavesTimePausedOutOfTheUptime() {
        let s = HostSampling.sample(status: status, startDate: Date(), pausedSeconds: 12, outcome: { nil }) { _ in
            ProcessSample(cpuSeconds: 1.5, residentBytes: 4096, ageSeconds: 30)
        }
        XCTAssertEqual(s.uptimeSeconds, 18)
    }

    func testHostSampleSaysHowAGoneProcessEnded() {
        let gone: (Int32) throws -> ProcessSample = { throw ProcessSampleError.gone(pid: $0) }
        let crashed = HostSampling.sample(status: status, startDate: Date(),
                                          outcome: { .failed("QEMU was killed by signal 9.") }, measure: gone)
        XCTAssertEqual(crashed.state, .error)
        XCTAssertEqual(crashed.error, "QEMU was killed by signal 9.")
        let shutDown = HostSampling.sample(status: status, startDate: Date(), outcome: { .guestShutdown }, measure: gone)
        XCTAssertEqual(shutDown.state, .stopped)
        XCTAssertNil(shutDown.error)
        let unknown = HostSampling.sample(status: status, startDate: Date(), outcome: { nil }, measure: gone)
        XCTAssertEqual(unknown.state, .error)
        XCTAssertTrue(unknown.error?.hasPrefix("The process running the guest (pid 11) has exited") ?? false, unknown.error ?? "")
    }

    func testHostSampleWithoutAProcessYetSaysSo() {
        var starting = status
        starting.vmPid = nil
        starting.state = .starting
        let s = HostSampling.sample(status: starting, startDate: Date().addingTimeInterval(-3), outcome: { nil }) { _ in
            XCTFail("nothing to measure")
            return ProcessSample(cpuSeconds: 0, residentBytes: 0, ageSeconds: 0)
        }
        XCTAssertEqual(s.state, .starting)
        XCTAssertEqual(s.uptimeSeconds, 3, accuracy: 1)
        XCTAssertTrue(s.error?.contains("has not been found yet") ?? false)
    }

    // MARK: stats/subscribe on a serve connection

    func testSubscribeSendsBothNotificationsUntilUnsubscribed() throws {
        let store = BundleStore(home: dir)
        let vms = VMService(store: store, limits: { _ in VMLimits(hostCores: 2, hostMemoryBytes: 8 << 30, freeDiskBytes: 1 << 40) })
        let stats = StatsService(vms: vms)
        let router = Router()
        stats.register(on: router)
        let pair = makePipePair()
        let connection = Connection(input: pair.connectionInput, output: pair.connectionOutput, name: "test", ownsDescriptors: true)
        connection.start(router: router)
        let peer = pair.peer

        peer.sendBody(#"{"jsonrpc":"2.0","id":1,"method":"stats/subscribe","params":{"intervalMs":10}}"#)
        var methods: [String] = []
        var result: JSONValue?
        while result == nil || methods.count < 4 {
            let message = try peer.receive()
            if message["id"] == .number(1) { result = message["result"] } else if case .string(let m)? = message["method"] { methods.append(m) }
        }
        XCTAssertEqual(result, .object(["intervalMs": .number(250)]), "clamped to 250")
        XCTAssertEqual(Array(methods.prefix(4)), ["vm/stats", "host/stats", "vm/stats", "host/stats"])
        XCTAssertEqual(stats.subscriberCount, 1)

        peer.sendBody(#"{"jsonrpc":"2.0","id":2,"method":"stats/subscribe","params":{"intervalMs":60000}}"#)
        while true {
            let message = try peer.receive()
            if message["id"] == .number(2) { XCTAssertEqual(message["result"], .object(["intervalMs": .number(10_000)])); break }
        }
        XCTAssertEqual(stats.subscriberCount, 1, "subscribing again re-times the same subscription")

        // Requests run concurrently, so the unsubscribe goes out once the re-time is answered.
        peer.sendBody(#"{"jsonrpc":"2.0","id":3,"method":"stats/subscribe","params":{"intervalMs":250}}"#)
        while try peer.receive()["id"] != .number(3) {}
        peer.sendBody(#"{"jsonrpc":"2.0","id":4,"method":"stats/unsubscribe","params":{}}"#)
        while true {
            let message = try peer.receive()
            if message["id"] == .number(4) { XCTAssertEqual(message["result"], .null); break }
        }
        XCTAssertEqual(stats.subscriberCount, 0)
        // Nothing follows the unsubscribe's answer (three intervals' worth of waiting).
        XCTAssertThrowsError(try peer.receive(timeout: 0.75), "a notification came after stats/unsubscribe")
        connection.close()
    }

    func testAClosedConnectionIsUnsubscribed() throws {
        let vms = VMService(store: BundleStore(home: dir), limits: { _ in VMLimits(hostCores: 2, hostMemoryBytes: 8 << 30, freeDiskBytes: 1 << 40) })
        let stats = StatsService(vms: vms)
        let router = Router()
        stats.register(on: router)
        let pair = makePipePair()
        let connection = Connection(input: pair.connectionInput, output: pair.connectionOutput, name: "test", ownsDescriptors: true)
        connection.start(router: router)
        pair.peer.sendBody(#"{"jsonrpc":"2.0","id":1,"method":"stats/subscribe","params":{"intervalMs":250}}"#)
        _ = try pair.peer.receive()
        XCTAssertEqual(stats.subscriberCount, 1)
        pair.peer.closeWriting()
        XCTAssertTrue(eventually { stats.subscriberCount == 0 }, "the closed connection is still subscribed")
    }
}
