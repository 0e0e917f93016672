import PorticoSchema

/// What the wire validator needs of one message, in memory with no reference counting.
///
/// The validator runs on every decoded message, so its per-field lookups must not retain layouts or take
/// exclusivity checks: each ``MessageLayout`` owns one table (entries sorted by number, a dense index for
/// small numbers, a one-step index by one-byte tag) and frees it in `deinit`. Sub-message entries point at
/// the sub-message's table.
struct ScanTable {
    /// One field as the validator sees it.
    struct Entry {
        static let isString: UInt8 = 1
        static let isMessage: UInt8 = 2
        static let isPackable: UInt8 = 4

        var number: Int32
        var wireType: UInt8
        var flags: UInt8
        /// The bit of the field in ``ScanTable/requiredMask``, or 0xFF when it is not `required`.
        var requiredBit: UInt8
        /// The index into the layout's `fields` (for error messages).
        var fieldIndex: Int32
        /// The sub-message's table, for message fields.
        var sub: UnsafeMutablePointer<ScanTable>?
    }

    var entries: UnsafeMutablePointer<Entry>
    var count: Int
    /// Entry index by field number for numbers below `denseCount`; -1 for none.
    var dense: UnsafeMutablePointer<Int16>
    var denseCount: Int
    /// Entry index by one-byte tag (fields 1…15): set only when the tag's wire type is the field's declared
    /// one, -1 otherwise (unknown field, packed payload, wrong wire type, field number 0).
    var quick: UnsafeMutablePointer<Int16>
    /// One bit per proto2 `required` field (the first 64).
    var requiredMask: UInt64
    /// The layout, for names on the error path only.
    unowned(unsafe) var layout: MessageLayout

    /// The entry of a field number, or `nil` for an unknown field.
    @inline(__always)
    func entry(_ number: Int32) -> UnsafeMutablePointer<Entry>? {
        if number < denseCount {
            let index = Int(dense[Int(number)])
            return index < 0 ? nil : entries + index
        }
        var low = 0
        var high = count - 1
        while low <= high {
            let middle = (low + high) / 2
            let candidate = entries[middle].number
            if candidate == number { return entries + middle }
            if candidate < number { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// Fills a table for `fields` (sorted by number) of `layout`.
    static func initialize(_ table: UnsafeMutablePointer<ScanTable>, layout: MessageLayout, fields: [FieldLayout]) {
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(fields.count, 1))
        var requiredMask: UInt64 = 0
        var requiredCount = 0
        for (index, field) in fields.enumerated() {
            var flags: UInt8 = 0
            if field.kind == .string { flags |= Entry.isString }
            if field.kind == .message { flags |= Entry.isMessage }
            if field.isRepeated && field.kind.isPackable { flags |= Entry.isPackable }
            var requiredBit: UInt8 = 0xFF
            if field.descriptor.label == .required, requiredCount < 64 {
                requiredBit = UInt8(requiredCount)
                requiredMask |= 1 << UInt64(requiredCount)
                requiredCount += 1
            }
            entries.advanced(by: index).initialize(to: Entry(
                number: field.number, wireType: field.wireType, flags: flags, requiredBit: requiredBit,
                fieldIndex: Int32(index), sub: field.message?.scanTable
            ))
        }
        let denseCount = min(128, Int(fields.last.map { $0.number + 1 } ?? 0))
        let dense = UnsafeMutablePointer<Int16>.allocate(capacity: max(denseCount, 1))
        dense.initialize(repeating: -1, count: max(denseCount, 1))
        for (index, field) in fields.enumerated() where field.number < denseCount {
            dense[Int(field.number)] = Int16(index)
        }
        let quick = UnsafeMutablePointer<Int16>.allocate(capacity: 128)
        quick.initialize(repeating: -1, count: 128)
        for (index, field) in fields.enumerated() where field.number < 16 && field.wireType != 3 {
            quick[Int(field.number) << 3 | Int(field.wireType)] = Int16(index)
        }
        table.initialize(to: ScanTable(entries: entries, count: fields.count, dense: dense, denseCount: denseCount,
                                       quick: quick, requiredMask: requiredMask, layout: layout))
    }

    /// Frees the arrays of an initialised table.
    static func release(_ table: UnsafeMutablePointer<ScanTable>) {
        table.pointee.entries.deallocate()
        table.pointee.dense.deallocate()
        table.pointee.quick.deallocate()
        table.deinitialize(count: 1)
    }
}
