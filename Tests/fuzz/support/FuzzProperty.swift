/// A property a harness checks on an input the parser accepted. A broken property stops the process with a message, which
/// libFuzzer reports as a crash and saves the input for, so a parser bug is found, not only a parser crash.
///
/// This file is compiled into every harness (see `Tests/fuzz/run.sh`).
func fuzzProperty(_ holds: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
    if !holds {
        fatalError("fuzz property broken: \(message())", file: file, line: line)
    }
}

/// The fuzz input as text. Invalid UTF-8 is repaired with U+FFFD, as a server decoding a request body would, so every
/// input reaches the parser.
func fuzzText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// The fuzz input as bytes.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
