import Foundation

/// MAC addresses compared as bytes: macOS writes octets without zero padding ("2:a:0:1b:c:d").
public enum MACBytes {
    public static func parse<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...2).contains(part.count), let b = UInt8(part, radix: 16) else { return nil }
            bytes.append(b)
        }
        return bytes
    }
}

/// One block of /var/db/dhcpd_leases (macOS's bootpd, which serves NAT guests).
public struct DHCPLease: Equatable, Sendable {
    public var name: String?
    public var ipAddress: String
    /// The hardware type before the comma of hw_address: "1" is Ethernet, "ff" a DUID.
    public var hardwareType: String
    /// The Ethernet address, or nil when the entry cannot be matched to one (a DUID client id).
    public var macAddress: [UInt8]?
    public var identifier: String?
    /// The `lease` value: expiry as hex Unix time.
    public var expiry: Date?

    /// Guests that send a DUID (hw_address=ff,…) cannot be found by MAC; ARP or an agent must do.
    public var isDUID: Bool { hardwareType.lowercased() == "ff" }
}

public enum DHCPLeases {
    public static let path = "/var/db/dhcpd_leases"

    /// The complete `{ … }` blocks with an ip_address and a hw_address; a block cut off at the end
    /// of the file (bootpd rewriting it) and lines without '=' are skipped.
    public static func parse(_ text: String) -> [DHCPLease] {
        var leases: [DHCPLease] = []
        var fields: [String: String]?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "{" { fields = [:]; continue }
            if line == "}" {
                if let f = fields, let lease = lease(from: f) { leases.append(lease) }
                fields = nil
                continue
            }
            guard fields != nil, let eq = line.firstIndex(of: "=") else { continue }
            fields?[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return leases
    }

    static func lease(from f: [String: String]) -> DHCPLease? {
        guard let ip = f["ip_address"], !ip.isEmpty, let hw = f["hw_address"], let comma = hw.firstIndex(of: ",") else { return nil }
        let type = String(hw[..<comma])
        let address = hw[hw.index(after: comma)...]
        var expiry: Date?
        if let text = f["lease"] {
            let hex = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
            if let seconds = UInt64(hex, radix: 16) { expiry = Date(timeIntervalSince1970: TimeInterval(seconds)) }
        }
        return DHCPLease(name: f["name"], ipAddress: ip, hardwareType: type,
                         macAddress: type == "1" ? MACBytes.parse(address) : nil,
                         identifier: f["identifier"], expiry: expiry)
    }

    /// The unexpired lease of `mac` with the latest expiry (a guest that rebooted has several).
    /// A lease without an expiry counts as current but loses to any dated one.
    public static func lease(for mac: [UInt8], in leases: [DHCPLease], now: Date) -> DHCPLease? {
        leases
            .filter { $0.macAddress == mac && ($0.expiry.map { $0 > now } ?? true) }
            .max { ($0.expiry ?? .distantPast) < ($1.expiry ?? .distantPast) }
    }
}

/// One line of `arp -an`: `? (192.168.64.3) at 2:a:3:4:5:6 on bridge100 ifscope [ethernet]`.
public struct ARPEntry: Equatable, Sendable {
    public var ipAddress: String
    public var macAddress: [UInt8]
    public var interface: String?

    public static func parse(_ text: String) -> [ARPEntry] {
        var entries: [ARPEntry] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            guard let at = words.firstIndex(of: "at"), at >= 1, at + 1 < words.count else { continue }
            let ipWord = words[at - 1]
            guard ipWord.hasPrefix("("), ipWord.hasSuffix(")") else { continue }
            // "(incomplete)" and anything else that is not an address is skipped.
            guard let mac = MACBytes.parse(words[at + 1]) else { continue }
            var interface: String?
            if let on = words.firstIndex(of: "on"), on + 1 < words.count { interface = String(words[on + 1]) }
            entries.append(ARPEntry(ipAddress: String(ipWord.dropFirst().dropLast()), macAddress: mac, interface: interface))
        }
        return entries
    }
}

/// Where a guest's address came from, and when vmtui read it.
public struct VZAddressAnswer: Equatable, Sendable {
    public enum Source: String, Equatable, Sendable {
        case dhcpLeases
        case arp
    }

    public var ipAddress: String
    public var source: Source
    public var observedAt: Date
    /// The lease's expiry (DHCP answers only).
    public var leaseExpiry: Date?

    /// Seconds since vmtui last saw this answer at its source.
    public func age(at now: Date) -> TimeInterval { max(0, now.timeIntervalSince(observedAt)) }
}

public enum VZAddressResolution: Equatable, Sendable {
    /// Read just now from `answer.source`.
    case found(VZAddressAnswer)
    /// Neither source knows the guest now; the last answer is given with its age.
    case stale(VZAddressAnswer, reason: String)
    case notFound(reason: String)

    public var answer: VZAddressAnswer? {
        switch self {
        case .found(let a), .stale(let a, _): return a
        case .notFound: return nil
        }
    }
}

/// Finds a NAT guest's IPv4 address by its MAC: the DHCP leases first, then the ARP table, and
/// remembers the last answer so a caller can still show it (with its age) when both go quiet.
public struct VZAddressResolver: Sendable {
    public let macAddress: [UInt8]
    public private(set) var last: VZAddressAnswer?

    public init?(macAddress: String) {
        guard let bytes = MACBytes.parse(macAddress) else { return nil }
        self.macAddress = bytes
    }

    /// `leases` is the text of /var/db/dhcpd_leases (nil when unreadable); `arp` runs `arp -an`
    /// and is asked only when the leases do not answer.
    public mutating func resolve(now: Date, leases: String?, arp: () -> String?) -> VZAddressResolution {
        var notes: [String] = []
        if let leases {
            let all = DHCPLeases.parse(leases)
            if let lease = DHCPLeases.lease(for: macAddress, in: all, now: now) {
                return remember(VZAddressAnswer(ipAddress: lease.ipAddress, source: .dhcpLeases, observedAt: now, leaseExpiry: lease.expiry))
            }
            if all.contains(where: \.isDUID) {
                notes.append("some DHCP leases name their guest by a DUID, which cannot be matched to a MAC address")
            } else {
                notes.append("no current DHCP lease has this MAC address")
            }
        } else {
            notes.append("\(DHCPLeases.path) cannot be read")
        }
        if let table = arp() {
            if let entry = ARPEntry.parse(table).first(where: { $0.macAddress == macAddress }) {
                return remember(VZAddressAnswer(ipAddress: entry.ipAddress, source: .arp, observedAt: now, leaseExpiry: nil))
            }
            notes.append("the ARP table has no entry for it")
        } else {
            notes.append("the ARP table cannot be read")
        }
        let reason = notes.joined(separator: "; ")
        if let last { return .stale(last, reason: reason) }
        return .notFound(reason: reason)
    }

    private mutating func remember(_ answer: VZAddressAnswer) -> VZAddressResolution {
        last = answer
        return .found(answer)
    }
}
