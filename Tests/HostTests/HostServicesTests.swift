@testable import AssayHost
import PluginAPI
import PluginKit
import XCTest

final class HostServicesTests: XCTestCase {
    private func table(threads: Int) -> HostServicesTable {
        HostServicesTable(needs: 0, context: ServiceContext(logger: .init(label: "test"), generator: nil), threads: threads)
    }

    func testThreadBudgetReachesPlugins() throws {
        let three = table(threads: 3)
        XCTAssertEqual(HostServices(three.table).threads, 3)
        XCTAssertEqual(three.table.pointee.reserved1, 0)
        // 0 is "no limit given".
        XCTAssertNil(HostServices(table(threads: 0).table).threads)
        // A table written by a 1.0 host ends before the field: a plugin
        // built against 1.1 must see no limit, not read past the end.
        var old = three.table.pointee
        old.struct_size = UInt32(try XCTUnwrap(MemoryLayout<assay_host>.offset(of: \assay_host.threads)))
        withUnsafePointer(to: &old) { XCTAssertNil(HostServices($0).threads) }
    }
}
