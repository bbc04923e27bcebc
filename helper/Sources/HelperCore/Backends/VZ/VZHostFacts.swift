import Foundation

/// What the VZ configuration depends on about the Mac it runs on. Pure data, so the plan can be
/// tested for any host; `VZHostProbe.current()` reads the real one on macOS.
public struct VZHostFacts: Equatable, Sendable {
    /// macOS major version (13 = Ventura, 14 = Sonoma, 15 = Sequoia, …).
    public var macOSMajor: Int
    /// "arm64" or "x86_64".
    public var arch: String
    /// Apple chip generation (1 for M1 …), nil on Intel or when the brand string is unknown.
    public var chipGeneration: Int?
    public var rosetta: RosettaStatus
    /// `VZGenericPlatformConfiguration.isNestedVirtualizationSupported` (macOS 15+); nil when not
    /// asked, in which case the chip generation decides (M3 and later).
    public var nestedVirtualizationSupported: Bool?

    public init(macOSMajor: Int, arch: String, chipGeneration: Int?, rosetta: RosettaStatus,
                nestedVirtualizationSupported: Bool? = nil) {
        self.macOSMajor = macOSMajor
        self.arch = arch
        self.chipGeneration = chipGeneration
        self.rosetta = rosetta
        self.nestedVirtualizationSupported = nestedVirtualizationSupported
    }

    public var appleSilicon: Bool { arch == "arm64" }

    /// Nested virtualization: macOS 15 or later, and a chip that has it (the framework's answer
    /// when known, else M3 or later).
    public var canNestVirtualization: Bool {
        guard macOSMajor >= 15, appleSilicon else { return false }
        return nestedVirtualizationSupported ?? ((chipGeneration ?? 0) >= 3)
    }

    /// saveMachineStateTo/restoreMachineStateFrom exist from macOS 14 on Apple silicon.
    public var canSaveRestore: Bool { macOSMajor >= 14 && appleSilicon }

    /// The generation in a CPU brand string: "Apple M2 Pro" → 2; anything else → nil.
    public static func chipGeneration(fromBrand brand: String) -> Int? {
        let words = brand.split(separator: " ")
        guard words.count >= 2, words[0] == "Apple", words[1].first == "M" else { return nil }
        let digits = words[1].dropFirst()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0 else { return nil }
        return n
    }
}

/// Per-VM VZ choices kept in config.json under keys this schema does not know yet (they survive in
/// `VMConfig.extra`): `"rosetta": true` shares Rosetta with a Linux guest, `"nestedVirtualization":
/// true` asks for nested virtualization (Linux guests, macOS 15, M3 or later).
public struct VZGuestOptions: Equatable, Sendable {
    public var rosetta: Bool
    public var nestedVirtualization: Bool

    public init(rosetta: Bool = false, nestedVirtualization: Bool = false) {
        self.rosetta = rosetta
        self.nestedVirtualization = nestedVirtualization
    }

    public static let rosettaKey = "rosetta"
    public static let nestedVirtualizationKey = "nestedVirtualization"

    public init(config: VMConfig) {
        func flag(_ key: String) -> Bool {
            if case .bool(let b)? = config.extra[key] { return b }
            return false
        }
        self.init(rosetta: flag(Self.rosettaKey), nestedVirtualization: flag(Self.nestedVirtualizationKey))
    }
}
