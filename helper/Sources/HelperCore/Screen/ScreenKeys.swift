/// Key names of `vm/sendKeys` → QEMU qcodes (a US keyboard layout).
/// A name is a key ("Enter", "Esc", "Up", "F5", "a", "A", "!") optionally preceded by modifiers
/// ("Ctrl-", "Alt-", "Shift-"), e.g. "Ctrl-C", "Alt-F2". Letters and symbols that need Shift on a
/// US keyboard get it by themselves.
public enum ScreenKeys {
    static let named: [String: String] = [
        "enter": "ret", "return": "ret", "esc": "esc", "escape": "esc", "tab": "tab",
        "backspace": "backspace", "delete": "delete", "insert": "insert", "space": "spc",
        "up": "up", "down": "down", "left": "left", "right": "right",
        "home": "home", "end": "end", "pageup": "pgup", "pagedown": "pgdn",
    ]
    static let plain: [Character: String] = {
        var m: [Character: String] = [" ": "spc", "-": "minus", "=": "equal", "[": "bracket_left",
            "]": "bracket_right", "\\": "backslash", ";": "semicolon", "'": "apostrophe", "`": "grave_accent",
            ",": "comma", ".": "dot", "/": "slash"]
        for c in "abcdefghijklmnopqrstuvwxyz0123456789" { m[c] = String(c) }
        return m
    }()
    static let shifted: [Character: String] = {
        var m: [Character: String] = ["!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
            "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal", "{": "bracket_left", "}": "bracket_right",
            "|": "backslash", ":": "semicolon", "\"": "apostrophe", "~": "grave_accent", "<": "comma",
            ">": "dot", "?": "slash"]
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" { m[c] = c.lowercased() }
        return m
    }()

    /// The qcodes pressed together for one key name; an unknown name is an invalid-params error.
    public static func qcodes(_ name: String) throws -> [String] {
        var codes: [String] = []
        var rest = Substring(name)
        // "Ctrl--" is Ctrl and the minus key: only strip a modifier when something follows it.
        while let dash = rest.firstIndex(of: "-"), rest.index(after: dash) < rest.endIndex {
            switch rest[..<dash].lowercased() {
            case "ctrl", "control": codes.append("ctrl")
            case "alt", "meta": codes.append("alt")
            case "shift": codes.append("shift")
            default:
                return try codes + key(rest, whole: name, modified: !codes.isEmpty)
            }
            rest = rest[rest.index(after: dash)...]
        }
        return try codes + key(rest, whole: name, modified: !codes.isEmpty)
    }

    private static func key(_ k: Substring, whole: String, modified: Bool) throws -> [String] {
        if k.count == 1, var c = k.first {
            // "Ctrl-C" means Ctrl and the C key, not Ctrl-Shift-C.
            if modified, c.isUppercase, c.isASCII { c = Character(c.lowercased()) }
            if let code = plain[c] { return [code] }
            if let code = shifted[c] { return ["shift", code] }
        }
        let lower = k.lowercased()
        if let code = named[lower] { return [code] }
        if lower.first == "f", let n = Int(lower.dropFirst()), (1...12).contains(n) { return [lower] }
        throw HelperError.invalidParams(field: "keys",
            message: "'\(whole)' is not a key vmtui can send; use a printable character, Enter, Esc, Tab, Backspace, arrows (Up/Down/Left/Right), F1–F12, or Ctrl-/Alt-/Shift- before one.")
    }

    /// A qcode as an X keysym, for RFB KeyEvent (the VZ screen). Letters go as lower case: Shift is
    /// its own key in the chord, as on the keyboard.
    public static func keysym(_ qcode: String) throws -> UInt32 {
        if let k = keysyms[qcode] { return k }
        if qcode.count == 1, let a = qcode.unicodeScalars.first, a.isASCII { return a.value }
        if qcode.first == "f", let n = UInt32(qcode.dropFirst()), (1...12).contains(n) { return 0xFFBE + n - 1 }
        throw HelperError.invalidParams(field: "keys", message: "The key '\(qcode)' has no VNC key code vmtui knows.")
    }

    static let keysyms: [String: UInt32] = [
        "ret": 0xFF0D, "esc": 0xFF1B, "tab": 0xFF09, "backspace": 0xFF08, "delete": 0xFFFF, "insert": 0xFF63,
        "spc": 0x20, "up": 0xFF52, "down": 0xFF54, "left": 0xFF51, "right": 0xFF53, "home": 0xFF50, "end": 0xFF57,
        "pgup": 0xFF55, "pgdn": 0xFF56, "ctrl": 0xFFE3, "alt": 0xFFE9, "shift": 0xFFE1,
        "minus": 0x2D, "equal": 0x3D, "bracket_left": 0x5B, "bracket_right": 0x5D, "backslash": 0x5C,
        "semicolon": 0x3B, "apostrophe": 0x27, "grave_accent": 0x60, "comma": 0x2C, "dot": 0x2E, "slash": 0x2F,
    ]
}
