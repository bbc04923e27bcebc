import Foundation
import XCTest
@testable import HelperCore

/// The /proc parsers, the rate arithmetic and the interval rule of the monitoring methods.
final class StatsParsingTests: XCTestCase {
    /// A /proc/<pid>/stat line with the given command name; utime 1500, stime 250, starttime 987654, rss 51200.
    func statLine(comm: String, state: String = "S") -> String {
        "4242 (\(comm)) \(state) 1 4242 4242 0 -1 4194560 12345 0 7 0 1500 250 3 4 20 0 3 0 987654 1234567890 51200 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0\n"
    }

    func testPidStatCountsFieldsFromTheLastParenthesis() throws {
        for comm in ["qemu-system-x86", "qemu system (x86) 64", "a) R 9 9 (b", ")", "(("] {
            let stat = try XCTUnwrap(ProcFS.parsePidStat(statLine(comm: comm)), comm)
            XCTAssertEqual(stat.state, "S", comm)
            XCTAssertEqual(stat.userTicks, 1500, comm)
            XCTAssertEqual(stat.systemTicks, 250, comm)
            XCTAssertEqual(stat.startTicks, 987654, comm)
            XCTAssertEqual(stat.residentPages, 51200, comm)
            XCTAssertFalse(stat.hasExited, comm)
        }
    }

    func testPidStatSeesAZombieAndRejectsATruncatedLine() throws {
        XCTAssertTrue(try XCTUnwrap(ProcFS.parsePidStat(statLine(comm: "qemu", state: "Z"))).hasExited)
        XCTAssertNil(ProcFS.parsePidStat("4242 (qemu) S 1 4242 4242 0 -1 4194560 12345 0 7 0 1500"))
        XCTAssertNil(ProcFS.parsePidStat("no parenthesis at all"))
        XCTAssertNil(ProcFS.parsePidStat(""))
    }

    func testResidentMemoryFromStatmAndStatus() {
        XCTAssertEqual(ProcFS.parseStatmResidentPages("310000 51200 3000 1200 0 60000 0\n"), 51200)
        XCTAssertNil(ProcFS.parseStatmResidentPages("310000\n"))
        let status = "Name:\tqemu-system-x86\nState:\tS (sleeping)\nVmPeak:\t 1300000 kB\nVmRSS:\t  204800 kB\nRssAnon:\t  150000 kB\n"
        XCTAssertEqual(ProcFS.parseStatusResidentBytes(status), 204800 * 1024)
        XCTAssertNil(ProcFS.parseStatusResidentBytes("Name:\tkthreadd\nState:\tS (sleeping)\n"), "kernel threads have no VmRSS")
    }

    func testHostCPUShareFromTwoReadingsOfProcStat() throws {
        let first = try XCTUnwrap(ProcFS.parseCPUTicks("cpu  100 0 50 800 50 0 0 0 40 0\ncpu0 50 0 25 400 25 0 0 0 20 0\nintr 1 2 3\n"))
        // guest (40) is already inside user (100): not counted twice.
        XCTAssertEqual(first, CPUTicks(busy: 150, total: 1000))
        XCTAssertEqual(try XCTUnwrap(first.busyPercent(since: nil)), 15, accuracy: 1e-9, "the first reading is since boot")
        let second = try XCTUnwrap(ProcFS.parseCPUTicks("cpu  160 0 90 880 70 0 0 0 40 0\n"))
        // 100 more busy ticks of 200 → 50 %.
        XCTAssertEqual(try XCTUnwrap(second.busyPercent(since: first)), 50, accuracy: 1e-9)
        XCTAssertNil(second.busyPercent(since: second), "no time passed")
        XCTAssertNil(ProcFS.parseCPUTicks("cpu0 1 2 3 4\n"), "no aggregate line")

        var rate = HostCPURate()
        XCTAssertEqual(rate.percent(first), 15, accuracy: 1e-9)
        XCTAssertEqual(rate.percent(second), 50, accuracy: 1e-9)
        XCTAssertEqual(rate.percent(second), 50, accuracy: 1e-9, "an unchanged reading keeps the last figure")
        XCTAssertEqual(rate.percent(nil), 50, accuracy: 1e-9, "an unreadable /proc/stat keeps the last figure")
    }

    func testMemInfoUsedIsTotalMinusAvailable() throws {
        let text = "MemTotal:       25165824 kB\nMemFree:         1048576 kB\nMemAvailable:   20971520 kB\nBuffers:          102400 kB\nCached:          8388608 kB\n"
        XCTAssertEqual(ProcFS.parseMemInfo(text), MemoryUse(usedBytes: (25165824 - 20971520) * 1024, totalBytes: 25165824 * 1024))
        // Kernels before 3.14: free + buffers + cached.
        let old = "MemTotal:       1000 kB\nMemFree:         100 kB\nBuffers:          50 kB\nCached:          250 kB\n"
        XCTAssertEqual(ProcFS.parseMemInfo(old), MemoryUse(usedBytes: 600 * 1024, totalBytes: 1000 * 1024))
        XCTAssertNil(ProcFS.parseMemInfo("MemFree: 100 kB\n"))
        XCTAssertEqual(ProcFS.parseUptime("12345.67 23456.78\n"), 12345.67)
    }

    func testIntervalIsClampedTo250Through10000() {
        XCTAssertEqual(StatsInterval.clamp(-5), 250)
        XCTAssertEqual(StatsInterval.clamp(0), 250)
        XCTAssertEqual(StatsInterval.clamp(249), 250)
        XCTAssertEqual(StatsInterval.clamp(1000), 1000)
        XCTAssertEqual(StatsInterval.clamp(10_000), 10_000)
        XCTAssertEqual(StatsInterval.clamp(60_000), 10_000)
    }

    func testRateIsTheAverageSinceStartFirstThenPerInterval() {
        var rates = CPURateTracker()
        // 2 CPU seconds in 10 s of life: 20 % of one core.
        XCTAssertEqual(rates.percent(name: "a", pid: 100, cpuSeconds: 2, uptimeSeconds: 10), 20, accuracy: 1e-9)
        // 0.5 s more in 1 s: 50 %.
        XCTAssertEqual(rates.percent(name: "a", pid: 100, cpuSeconds: 2.5, uptimeSeconds: 11), 50, accuracy: 1e-9)
        // Two vCPUs busy: over 100 %.
        XCTAssertEqual(rates.percent(name: "a", pid: 100, cpuSeconds: 4.5, uptimeSeconds: 12), 200, accuracy: 1e-9)
        // Within the clock's resolution: the last figure, not a division by zero.
        XCTAssertEqual(rates.percent(name: "a", pid: 100, cpuSeconds: 4.5, uptimeSeconds: 12), 200, accuracy: 1e-9)
        // The VM restarted: a new pid starts from its own average.
        XCTAssertEqual(rates.percent(name: "a", pid: 200, cpuSeconds: 1, uptimeSeconds: 4), 25, accuracy: 1e-9)
        // Another VM is tracked on its own.
        XCTAssertEqual(rates.percent(name: "b", pid: 300, cpuSeconds: 0, uptimeSeconds: 0), 0)
        // A VM no longer listed is forgotten: its next sample is an average again.
        rates.keep(only: ["b"])
        XCTAssertEqual(rates.percent(name: "a", pid: 200, cpuSeconds: 2, uptimeSeconds: 5), 40, accuracy: 1e-9)
    }
}
