// swift-tools-version:6.0
import PackageDescription

// VMTUI_DARWIN_CHECK=1 (scripts/check-darwin.sh, Linux only) compiles the macOS code paths on Linux
// against stand-ins for Darwin, CryptoKit, Security and the Objective-C runtime (DarwinStandIns), declared as Apple
// declares them. The result is type-checked, never linked or run.
let darwinCheck = Context.environment["VMTUI_DARWIN_CHECK"] == "1"
let darwinCheckSettings: [SwiftSetting] = darwinCheck ? [.define("DARWIN_CHECK")] : []
let standIns: [Target.Dependency] = darwinCheck ? ["Darwin", "CryptoKit", "ObjectiveC"] : []

var targets: [Target] = [
    // The platform's system calls (libproc, Mach, sysctl, clonefile, statfs, posix_spawn, sockets),
    // behind plain Swift types; no Foundation, so the Darwin half can be checked on Linux.
    .target(name: "SystemCalls", dependencies: darwinCheck ? ["Darwin"] : [],
            path: "Sources/SystemCalls", swiftSettings: darwinCheckSettings),
    // All logic lives here so tests import it; the executable stays thin.
    .target(
        name: "HelperCore",
        dependencies: [
            "SystemCalls",
            // Linux only: the Virtualization.framework API the VZ backend uses, so that it compiles here.
            .target(name: "VirtualizationShim", condition: .when(platforms: [.linux])),
            // zlib for compressed qcow2 clusters (Images/).
            "CCompression",
        ] + standIns,
        path: "Sources/HelperCore",
        swiftSettings: darwinCheckSettings
    ),
    .target(name: "VirtualizationShim", path: "Sources/VirtualizationShim"),
    .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
    .executableTarget(name: "vmtui-helper", dependencies: ["HelperCore"], path: "Sources/vmtui-helper"),
    .testTarget(
        name: "HelperCoreTests",
        dependencies: ["HelperCore"],
        path: "Tests/HelperCoreTests"
    ),
]
if darwinCheck {
    targets += [
        .target(name: "CDarwin", path: "DarwinStandIns/CDarwin"),
        .target(name: "Darwin", dependencies: ["CDarwin"], path: "DarwinStandIns/Darwin"),
        .target(name: "CryptoKit", path: "DarwinStandIns/CryptoKit"),
        .target(name: "ObjectiveC", path: "DarwinStandIns/ObjectiveC"),
    ]
}

let package = Package(
    name: "vmtui-helper",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vmtui-helper", targets: ["vmtui-helper"]),
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
