// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vmtui-helper",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vmtui-helper", targets: ["vmtui-helper"]),
    ],
    targets: [
        // All logic lives here so tests import it; the executable stays thin.
        .target(
            name: "HelperCore",
            dependencies: [
                // Linux only: the Virtualization.framework API the VZ backend uses, so that it compiles here.
                .target(name: "VirtualizationShim", condition: .when(platforms: [.linux])),
                // zlib for compressed qcow2 clusters (Images/).
                "CCompression",
            ],
            path: "Sources/HelperCore"
        ),
        .target(name: "VirtualizationShim", path: "Sources/VirtualizationShim"),
        .systemLibrary(name: "CCompression", path: "Sources/CCompression"),
        .executableTarget(name: "vmtui-helper", dependencies: ["HelperCore"], path: "Sources/vmtui-helper"),
        .testTarget(
            name: "HelperCoreTests",
            dependencies: ["HelperCore"],
            path: "Tests/HelperCoreTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)
