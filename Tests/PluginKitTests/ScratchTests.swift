import Foundation
import PluginKit
import XCTest

final class ScratchTests: XCTestCase {
    func testBuffersOfOneCallDoNotOverlapAndAreAligned() throws {
        try Scratch.withFrame { scratch in
            let a = scratch.doubles(100), b = scratch.doubles(3), c = scratch.buffer(of: UInt8.self, count: 5)
            let ranges = [(UnsafeRawPointer(a.baseAddress!), 800), (UnsafeRawPointer(b.baseAddress!), 24),
                          (UnsafeRawPointer(c.baseAddress!), 5)]
            for (i, one) in ranges.enumerated() {
                XCTAssertEqual(Int(bitPattern: one.0) % 64, 0)
                for other in ranges[(i + 1)...] {
                    XCTAssertTrue(one.0 + one.1 <= other.0 || other.0 + other.1 <= one.0, "buffers \(i) overlap")
                }
            }
        }
    }

    func testANestedCallLeavesTheOuterBuffersAlone() throws {
        try Scratch.withFrame { outer in
            let kept = outer.doubles(64)
            kept.update(repeating: 1)
            try Scratch.withFrame { inner in inner.doubles(1000).update(repeating: -1) }
            XCTAssertTrue(kept.allSatisfy { $0 == 1 })
        }
    }

    func testTheNextCallOnAThreadReusesItsMemory() throws {
        // The first call outgrows the fresh arena; the next one of the same
        // size gets the merged block, at the same address every time.
        let first = try Scratch.withFrame { scratch in
            _ = scratch.doubles(1000)
            return UnsafeRawPointer(scratch.doubles(4000).baseAddress!)
        }
        _ = first
        let second = try Scratch.withFrame { UnsafeRawPointer($0.doubles(5000).baseAddress!) }
        let third = try Scratch.withFrame { UnsafeRawPointer($0.doubles(5000).baseAddress!) }
        XCTAssertEqual(second, third)
    }

    func testThreadsGetArenasOfTheirOwn() throws {
        let addresses = Addresses()
        let ready = DispatchGroup()
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0 ..< 2 {
            ready.enter()
            done.enter()
            Thread {
                try? Scratch.withFrame { scratch in
                    let buffer = scratch.doubles(256)
                    addresses.record(index, UnsafeRawPointer(buffer.baseAddress!))
                    ready.leave()
                    // Both threads hold their buffers at once.
                    release.wait()
                }
                done.leave()
            }.start()
        }
        ready.wait()
        release.signal()
        release.signal()
        done.wait()
        let seen = addresses.all
        XCTAssertEqual(seen.count, 2)
        XCTAssertNotEqual(seen[0], seen[1])
    }
}

/// Where each thread's buffer lies, written from those threads.
private final class Addresses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: UnsafeRawPointer] = [:]  // guarded by lock

    func record(_ index: Int, _ address: UnsafeRawPointer) { lock.withLock { values[index] = address } }
    var all: [Int: UnsafeRawPointer] { lock.withLock { values } }
}
