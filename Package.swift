// swift-tools-version:6.0
// Pace: one executable, no package dependencies. Modules are listed lowest layer first;
// each depends only on the ones above it.
import PackageDescription

let package = Package(
    name: "pace",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pace", targets: ["pace"]),
        .executable(name: "pace-bench", targets: ["pace-bench"]),
    ],
    targets: [
        // C libraries from Debian, and the kernel headers Glibc does not export.
        .target(name: "CShims", path: "Sources/CShims"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSSL", path: "Sources/CSSL", pkgConfig: "libssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArgon2", path: "Sources/CArgon2", pkgConfig: "libargon2",
                       providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // System shims: file descriptors, sockets, epoll, eventfd, errno as typed values.
        .target(name: "PaceSystem", dependencies: ["CShims"]),
        // IP addresses, CIDR prefixes and trusted-proxy lists: pure values, no Glibc.
        .target(name: "PaceAddress"),
        // The event loop: readiness, timers, cross-thread task queue, blocking pool.
        .target(name: "PaceLoop", dependencies: ["PaceSystem", "PaceAddress"]),
        // Pure protocol code: bytes in, values out. No Glibc, no Foundation, no chat.
        .target(name: "PaceHTTP", dependencies: ["PaceAddress"]),
        .target(name: "PaceJSON"),
        .target(name: "PaceWebSocket"),
        // RESP2, Redis' wire protocol: reply parser, command encoder, URL.
        .target(name: "PaceRedis"),
        // Hashing, HMAC, randomness, password hashing and JWT over libcrypto/libargon2.
        .target(name: "PaceCrypto", dependencies: ["CCrypto", "CArgon2"]),
        // TLS over memory BIOs (no sockets): server contexts, engines, ticket keys, certificates.
        .target(name: "PaceTLS", dependencies: ["CSSL", "PaceCrypto"]),
        // permessage-deflate's compressor and bounded decompressor over zlib (raw deflate).
        .target(name: "PaceDeflate", dependencies: ["CZlib"]),
        // The Store seam and its engines: SQLite (statements, migrations, the group-commit
        // writer) and PostgreSQL over libpq's asynchronous API.
        .target(name: "PaceStore", dependencies: ["CSQLite", "CLibPQ", "PaceSystem"],
                plugins: ["EmbedFiles"]),
        // Connections: HTTP/1.1 over the event loop.
        .target(name: "PaceServer", dependencies: ["PaceLoop", "PaceHTTP", "PaceWebSocket", "PaceCrypto", "PaceSystem",
                                                 "PaceTLS", "PaceDeflate"]),
        // The application: router, services, operations endpoints.
        .target(name: "PaceApp", dependencies: ["PaceServer", "PaceHTTP", "PaceJSON", "PaceWebSocket", "PaceCrypto",
                                                "PaceStore", "PaceLoop", "PaceSystem", "PaceTLS", "PaceDeflate",
                                                "PaceRedis"],
                plugins: ["EmbedFiles"]),
        .executableTarget(name: "pace", dependencies: ["PaceApp", "PaceServer", "PaceStore", "PaceSystem", "PaceTLS"]),

        // The load generator for operators (`pace-bench fanout|idle`): a WebSocket client over
        // the same low-level modules, never linked into `pace`.
        .target(name: "PaceBench", dependencies: ["CShims", "PaceSystem", "PaceWebSocket", "PaceJSON", "PaceCrypto",
                                                  "PaceTLS", "PaceDeflate"]),
        .executableTarget(name: "pace-bench", dependencies: ["PaceBench"]),

        // Build-time embedding of migrations/*.sql, openapi.yaml and web/, so the binary runs from any directory.
        .executableTarget(name: "pace-embed", path: "Plugins/EmbedTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["pace-embed"]),

        // Loopback and in-memory clients shared by the end-to-end suites.
        .target(name: "PaceTestSupport", dependencies: ["PaceLoop", "PaceSystem", "PaceTLS"], path: "Tests/PaceTestSupport"),
        // The session tests run the real HTTP session over in-memory connections.
        .testTarget(name: "PaceHTTPTests", dependencies: ["PaceHTTP", "PaceAddress", "PaceServer", "PaceLoop", "PaceTestSupport"]),
        .testTarget(name: "PaceJSONTests", dependencies: ["PaceJSON"]),
        .testTarget(name: "PaceWebSocketTests", dependencies: ["PaceWebSocket"]),
        .testTarget(name: "PaceRedisTests", dependencies: ["PaceRedis"]),
        .testTarget(name: "PaceCryptoTests", dependencies: ["PaceCrypto"]),
        .testTarget(name: "PaceTLSTests", dependencies: ["PaceTLS"]),
        .testTarget(name: "PaceDeflateTests", dependencies: ["PaceDeflate"]),
        .testTarget(name: "PaceStoreTests", dependencies: ["PaceStore", "PaceSystem", "PaceApp"]),
        .testTarget(name: "PaceBenchTests", dependencies: ["PaceBench", "PaceWebSocket", "PaceSystem"]),
        .testTarget(name: "PaceSystemTests", dependencies: ["PaceSystem", "CShims", "PaceTestSupport"]),
        .testTarget(name: "PaceLoopTests", dependencies: ["PaceLoop", "PaceSystem"]),
        .testTarget(name: "PaceServerTests", dependencies: ["PaceServer", "PaceHTTP", "PaceLoop", "PaceSystem",
                                                            "PaceApp", "PaceTestSupport", "PaceTLS", "PaceDeflate",
                                                            "PaceWebSocket"]),
        .testTarget(name: "PaceAppTests", dependencies: ["PaceApp", "PaceServer", "PaceHTTP", "PaceJSON",
                                                         "PaceSystem", "PaceLoop", "PaceStore", "PaceCrypto",
                                                         "PaceTestSupport", "PaceTLS", "PaceDeflate", "PaceRedis"]),
    ]
)
