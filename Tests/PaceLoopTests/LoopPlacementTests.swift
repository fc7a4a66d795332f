#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceSystem
import Synchronization
import Testing

@Suite struct LoopPlacementTests {
    /// Each loop's CPU mask, read on the loop's own thread.
    private func masks(loops: Int, pinned: Bool) throws -> [Int: [Int32]] {
        let seen = Mutex<[Int: [Int32]]>([:])
        let group = try EventLoopGroup(count: loops, pinned: pinned) { loop in
            seen.withLock { $0[loop.index] = Scheduling.allowedCPUs() }
        }
        defer { group.stopAndJoin() }
        waitUntil { seen.withLock { $0.count } >= loops }
        return seen.withLock { $0 }
    }

    @Test func pinnedLoopsTakeTheUsableCPUsInTurn() throws {
        let cpus = Scheduling.allowedCPUs()
        let loops = cpus.count + 1
        let seen = try masks(loops: loops, pinned: true)
        for index in 0..<loops {
            #expect(seen[index] == [cpus[index % cpus.count]], "loop \(index)")
        }
    }

    @Test func unpinnedLoopsKeepTheProcessMask() throws {
        let cpus = Scheduling.allowedCPUs()
        let seen = try masks(loops: 2, pinned: false)
        #expect(seen[0] == cpus)
        #expect(seen[1] == cpus)
    }

    @Test func usableCPUsAreTheOnlineOnesHere() {
        // No cpuset or taskset limit applies to the test process.
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(Scheduling.allowedCPUs().count == online)
    }

    @Test func aLoopThreadRunsOnShortSlices() throws {
        guard Self.kernelHasCustomSlices else { return }
        let slice = Mutex<String?>(nil)
        let group = try EventLoopGroup(count: 1) { _ in
            let text = FileContents.text("/proc/thread-self/sched") ?? ""
            slice.withLock { $0 = text.split(separator: "\n").first { $0.hasPrefix("se.slice") }.map(String.init) ?? "" }
        }
        defer { group.stopAndJoin() }
        waitUntil { slice.withLock { $0 } != nil }
        let line = try #require(slice.withLock { $0 })
        // Without scheduler debug files there is nothing to read; with them, the value shows.
        guard !line.isEmpty else { return }
        #expect(line.split(separator: ":").last?.split(separator: " ").first == "100000")
    }

    /// EEVDF custom slices arrived in Linux 6.12.
    private static var kernelHasCustomSlices: Bool {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
        guard parts.count == 2 else { return false }
        return parts[0] > 6 || (parts[0] == 6 && parts[1] >= 12)
    }
}
