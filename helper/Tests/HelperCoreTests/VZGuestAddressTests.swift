import Foundation
import XCTest
@testable import HelperCore

final class VZGuestAddressTests: XCTestCase {
    // 2026-11-26T00:00:00Z
    let now = Date(timeIntervalSince1970: 1_795_651_200)
    let guestMAC = "02:0a:3b:04:05:06"

    func hex(_ date: Date) -> String { "0x" + String(UInt64(date.timeIntervalSince1970), radix: 16) }

    /// A /var/db/dhcpd_leases as bootpd writes it: tabs, unpadded octets, hex expiry.
    func leasesFixture() -> String {
        """
        {
        \tname=old-boot
        \tip_address=192.168.64.3
        \thw_address=1,2:a:3b:4:5:6
        \tidentifier=1,2:a:3b:4:5:6
        \tlease=\(hex(now.addingTimeInterval(600)))
        }
        {
        \tname=ubuntu
        \tip_address=192.168.64.7
        \thw_address=1,2:a:3b:4:5:6
        \tidentifier=1,2:a:3b:4:5:6
        \tlease=\(hex(now.addingTimeInterval(80_000)))
        }
        {
        \tname=expired
        \tip_address=192.168.64.9
        \thw_address=1,2:a:3b:4:5:6
        \tidentifier=1,2:a:3b:4:5:6
        \tlease=\(hex(now.addingTimeInterval(90_000 - 200_000)))
        }
        {
        \tname=fedora
        \tip_address=192.168.64.12
        \thw_address=ff,f1:f5:dd:7f:0:2:0:0:ab:11:7d:c5:c3:42:12:a3:77:d0
        \tidentifier=ff,f1:f5:dd:7f:0:2:0:0:ab:11:7d:c5:c3:42:12:a3:77:d0
        \tlease=\(hex(now.addingTimeInterval(80_000)))
        }

        """
    }

    func testParsesBlocksWithUnpaddedOctetsAndHexExpiry() {
        let leases = DHCPLeases.parse(leasesFixture())
        XCTAssertEqual(leases.map(\.ipAddress), ["192.168.64.3", "192.168.64.7", "192.168.64.9", "192.168.64.12"])
        XCTAssertEqual(leases[0].macAddress, [0x02, 0x0a, 0x3b, 0x04, 0x05, 0x06])
        XCTAssertEqual(leases[0].name, "old-boot")
        XCTAssertEqual(leases[0].identifier, "1,2:a:3b:4:5:6")
        XCTAssertEqual(leases[0].expiry, now.addingTimeInterval(600))
        XCTAssertFalse(leases[0].isDUID)
    }

    func testDUIDLeasesCannotBeMatched() {
        let duid = DHCPLeases.parse(leasesFixture())[3]
        XCTAssertTrue(duid.isDUID)
        XCTAssertNil(duid.macAddress)
        XCTAssertEqual(duid.hardwareType, "ff")
    }

    func testLatestUnexpiredLeaseWinsPerMAC() throws {
        let leases = DHCPLeases.parse(leasesFixture())
        let mac = try XCTUnwrap(MACBytes.parse(guestMAC))
        XCTAssertEqual(DHCPLeases.lease(for: mac, in: leases, now: now)?.ipAddress, "192.168.64.7")
        // After the later lease expires nothing is current: the earlier one expired before it.
        XCTAssertNil(DHCPLeases.lease(for: mac, in: leases, now: now.addingTimeInterval(90_000)))
        // Only the short lease left: it wins while current, not after.
        let short = leases.filter { $0.name == "old-boot" || $0.name == "expired" }
        XCTAssertEqual(DHCPLeases.lease(for: mac, in: short, now: now)?.ipAddress, "192.168.64.3")
        XCTAssertNil(DHCPLeases.lease(for: mac, in: short, now: now.addingTimeInterval(601)))
    }

    func testTruncatedFileKeepsTheCompleteBlocks() {
        let text = leasesFixture() + "{\n\tname=half\n\tip_address=192.168.64.99\n\thw_address=1,2:a:3b:4:5:6\n\tlea"
        XCTAssertEqual(DHCPLeases.parse(text).count, 4)
        // Cut inside the first block: nothing complete at all.
        XCTAssertEqual(DHCPLeases.parse(String(leasesFixture().prefix(40))), [])
        // A block reopened before it closed (a rewrite caught mid-way) starts over.
        XCTAssertEqual(DHCPLeases.parse("{\n\tip_address=10.0.0.1\n{\n\tip_address=10.0.0.2\n\thw_address=1,2:0:0:0:0:1\n}\n").map(\.ipAddress), ["10.0.0.2"])
        XCTAssertEqual(DHCPLeases.parse(""), [])
        XCTAssertEqual(DHCPLeases.parse("garbage\n}\n"), [])
    }

    func testMACBytes() {
        XCTAssertEqual(MACBytes.parse("2:a:3b:4:5:6"), MACBytes.parse("02:0A:3B:04:05:06"))
        XCTAssertNil(MACBytes.parse("2:a:3b:4:5"))
        XCTAssertNil(MACBytes.parse("2:a:3b:4:5:6:7"))
        XCTAssertNil(MACBytes.parse("2:a:3b:4:5:100"))
        XCTAssertNil(MACBytes.parse("2:a:3b:4::6"))
        XCTAssertNil(MACBytes.parse("(incomplete)"))
    }

    let arpFixture = """
    ? (192.168.1.1) at 3c:22:fb:1:2:3 on en0 ifscope [ethernet]
    ? (192.168.64.5) at 2:a:3b:4:5:6 on bridge100 ifscope [ethernet]
    ? (192.168.64.8) at (incomplete) on bridge100 ifscope [ethernet]
    ? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]
    broken line
    """

    func testARPTableSkipsIncompleteEntries() {
        let entries = ARPEntry.parse(arpFixture)
        XCTAssertEqual(entries.map(\.ipAddress), ["192.168.1.1", "192.168.64.5", "224.0.0.251"])
        XCTAssertEqual(entries[1].macAddress, [0x02, 0x0a, 0x3b, 0x04, 0x05, 0x06])
        XCTAssertEqual(entries[1].interface, "bridge100")
    }

    func testResolverPrefersLeasesAndDoesNotRunARPThen() throws {
        var resolver = try XCTUnwrap(VZAddressResolver(macAddress: guestMAC))
        var arpRuns = 0
        let result = resolver.resolve(now: now, leases: leasesFixture(), arp: { arpRuns += 1; return self.arpFixture })
        XCTAssertEqual(result, .found(VZAddressAnswer(ipAddress: "192.168.64.7", source: .dhcpLeases, observedAt: now,
                                                      leaseExpiry: now.addingTimeInterval(80_000))))
        XCTAssertEqual(arpRuns, 0)
    }

    func testResolverFallsBackToARPWhenTheGuestUsesADUID() throws {
        let duidOnly = DHCPLeases.parse(leasesFixture()).isEmpty ? "" : """
        {
        \tname=fedora
        \tip_address=192.168.64.12
        \thw_address=ff,f1:f5:dd:7f:0:2:0:0:ab:11
        \tlease=\(hex(now.addingTimeInterval(80_000)))
        }
        """
        var resolver = try XCTUnwrap(VZAddressResolver(macAddress: guestMAC))
        let result = resolver.resolve(now: now, leases: duidOnly, arp: { self.arpFixture })
        XCTAssertEqual(result.answer?.source, .arp)
        XCTAssertEqual(result.answer?.ipAddress, "192.168.64.5")
        XCTAssertNil(result.answer?.leaseExpiry)

        var lost = try XCTUnwrap(VZAddressResolver(macAddress: "02:00:00:00:00:99"))
        guard case .notFound(let reason) = lost.resolve(now: now, leases: duidOnly, arp: { self.arpFixture }) else {
            return XCTFail("an unknown MAC must not be found")
        }
        XCTAssertTrue(reason.contains("DUID"), reason)
        XCTAssertTrue(reason.contains("ARP table has no entry"), reason)
    }

    func testResolverGivesTheLastAnswerWithItsAgeWhenBothSourcesGoQuiet() throws {
        var resolver = try XCTUnwrap(VZAddressResolver(macAddress: guestMAC))
        _ = resolver.resolve(now: now, leases: nil, arp: { self.arpFixture })
        let later = now.addingTimeInterval(42)
        let result = resolver.resolve(now: later, leases: nil, arp: { nil })
        guard case .stale(let answer, let reason) = result else { return XCTFail("expected a stale answer, got \(result)") }
        XCTAssertEqual(answer.ipAddress, "192.168.64.5")
        XCTAssertEqual(answer.source, .arp)
        XCTAssertEqual(answer.age(at: later), 42)
        XCTAssertTrue(reason.contains("cannot be read"), reason)
        XCTAssertNil(VZAddressResolver(macAddress: "not a mac"))
    }
}
