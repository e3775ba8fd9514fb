/// An RFC 4180 CSV reader: comma-separated fields, CRLF or LF record ends, fields in double quotes may hold commas,
/// line breaks and doubled quotes (`""`). A UTF-8 byte order mark is skipped and empty lines are ignored.
///
/// A record's `row` is the line it starts on, counting from 1 (the header), so an error names the line a text editor
/// shows (quoted line breaks count as lines too).
enum CSVReader {
    /// One record and its number.
    struct Record {
        var row: Int
        var fields: [String]
    }

    static func records(_ input: some Collection<UInt8>) throws(ConnectorError) -> [Record] {
        var bytes = Array(input)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1  // the current line
        var row = 1  // the line the current record started on
        var index = bytes.startIndex
        var quoted = false  // the current field started with a quote
        var inQuotes = false
        var afterQuote = false  // the closing quote of the current field has been read
        func fail(_ reason: String) -> ConnectorError {
            ConnectorError.malformed(field: "row \(row)", reason)
        }
        func endField() throws(ConnectorError) {
            guard let text = String(validating: field, as: UTF8.self) else { throw fail("field \(fields.count + 1) is not valid UTF-8") }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            quoted = false
            afterQuote = false
        }
        func endRecord() throws(ConnectorError) {
            let wasQuoted = quoted
            try endField()
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append(Record(row: row, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == 0x0A || (byte == 0x0D && (index == bytes.endIndex || bytes[index] != 0x0A)) { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try endField()
            case 0x0D where index < bytes.endIndex && bytes[index] == 0x0A:
                index += 1
                try endRecord()
                line += 1
                row = line
            case 0x0A, 0x0D:
                try endRecord()
                line += 1
                row = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !afterQuote else { throw fail("a quote inside an unquoted field (quote the whole field and double the quote)") }
                quoted = true
                inQuotes = true
            default:
                guard !afterQuote else { throw fail("text after the closing quote of field \(fields.count + 1)") }
                field.append(byte)
            }
        }
        guard !inQuotes else { throw fail("a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || quoted { try endRecord() }
        return records
    }
}
