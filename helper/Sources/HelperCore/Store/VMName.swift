/// VM and snapshot names. Nothing a user gives becomes a path except through `validate`.
public enum VMName {
    /// Checks the rule `[A-Za-z0-9][A-Za-z0-9._-]{0,62}` by hand (no regex engine needed).
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard alnum(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    @discardableResult
    public static func validate(_ name: String) throws -> String {
        guard isValid(name) else { throw HelperError.invalidName(name) }
        return name
    }
}
