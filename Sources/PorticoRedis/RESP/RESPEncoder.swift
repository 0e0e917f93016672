public import NIOCore

/// Writes a command as RESP2 sends it: an array of bulk strings.
public enum RESPEncoder {
    /// Appends `arguments` (`["GET", "key"]`) to `buffer`.
    public static func encode(_ arguments: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
    }
}
