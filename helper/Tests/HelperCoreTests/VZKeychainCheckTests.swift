import Foundation
import XCTest
@testable import HelperCore

final class VZKeychainCheckTests: XCTestCase {
    func testParsesTheToolsAnswers() {
        XCTAssertEqual(VZKeychainCheck.parse(status: 0, output: "Keychain \"/Users/ann/Library/Keychains/login.keychain-db\" lock-on-sleep timeout=300s\n"), .unlocked)
        XCTAssertEqual(VZKeychainCheck.parse(status: 0, output: "Keychain \"/Users/ann/Library/Keychains/login.keychain-db\" no-timeout\n"), .unlocked)
        XCTAssertEqual(VZKeychainCheck.parse(status: 36, output: "security: SecKeychainCopySettings /Users/ann/Library/Keychains/login.keychain-db: User interaction is not allowed.\n"), .locked)
        // The words decide even when the status says otherwise; the status decides when there are none.
        XCTAssertEqual(VZKeychainCheck.parse(status: 1, output: "SecKeychainCopySettings: failed (-25308)"), .locked)
        XCTAssertEqual(VZKeychainCheck.parse(status: 36, output: ""), .locked)
        XCTAssertEqual(VZKeychainCheck.parse(status: 50, output: "security: SecKeychainCopySettings /Users/ann/Library/Keychains/login.keychain-db: The specified keychain could not be found.\n"), .missing)
        XCTAssertEqual(VZKeychainCheck.parse(status: 1, output: "  something new  \n"), .unknown("something new"))
        XCTAssertEqual(VZKeychainCheck.parse(status: 3, output: ""), .unknown("security exited with status 3"))
    }

    func testOnlyMacOS15OverSSH() {
        XCTAssertTrue(VZKeychainCheck.applies(macOSMajor: 15, environment: ["SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"]))
        XCTAssertTrue(VZKeychainCheck.applies(macOSMajor: 26, environment: ["SSH_TTY": "/dev/ttys003"]))
        XCTAssertTrue(VZKeychainCheck.applies(macOSMajor: 15, environment: ["SSH_CLIENT": "10.0.0.2 50000 22"]))
        XCTAssertFalse(VZKeychainCheck.applies(macOSMajor: 14, environment: ["SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"]))
        XCTAssertFalse(VZKeychainCheck.applies(macOSMajor: 15, environment: ["TERM": "xterm"]))
        XCTAssertFalse(VZKeychainCheck.applies(macOSMajor: 15, environment: ["SSH_TTY": ""]))
    }

    func testOnlyALockedKeychainStopsTheStartAndTheMessageHasTheFix() throws {
        XCTAssertNil(VZKeychainCheck.error(for: .unlocked, vmName: "dev"))
        XCTAssertNil(VZKeychainCheck.error(for: .missing, vmName: "dev"))
        XCTAssertNil(VZKeychainCheck.error(for: .unknown("?"), vmName: "dev"))
        let error = try XCTUnwrap(VZKeychainCheck.error(for: .locked, vmName: "dev"))
        XCTAssertEqual(error.kind, "unsupported")
        XCTAssertTrue(error.message.contains("security unlock-keychain ~/Library/Keychains/login.keychain-db"), error.message)
        XCTAssertTrue(error.message.contains("VM 'dev'"), error.message)
    }

    #if os(Linux)
    func testWithoutTheToolTheCheckIsSkipped() {
        XCTAssertNil(VZKeychainCheck.run(home: "/nonexistent"))
    }
    #endif
}
