/// Guest MAC addresses: random, locally administered, unicast (what VZMACAddress.randomLocallyAdministered makes).
public enum MACAddress {
    public static func randomLocallyAdministered() -> String {
        var octets = (0..<6).map { _ in UInt8.random(in: 0...255) }
        octets[0] = (octets[0] & 0xFC) | 0x02
        return octets.map { hex2($0) }.joined(separator: ":")
    }

    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil }
    }

    static func hex2(_ b: UInt8) -> String {
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }
}
