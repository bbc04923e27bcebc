#if !os(macOS) || arch(arm64)
import Foundation

extension VZBackend {
    /// The NAT guest's address from the DHCP leases or the ARP table, aged from when vmtui last
    /// found it there.
    public var reportedGuestAddress: GuestAddress? {
        guard let answer = guestAddress else { return nil }
        let source: AddressSource = answer.source == .dhcpLeases ? .dhcpLeases : .arp
        return GuestAddress(ip: answer.ipAddress, source: source, ageSeconds: answer.age(at: Date()).rounded())
    }
}
#endif
