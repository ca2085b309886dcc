import Hummingbird

// The baseline of Benchmarks/http.sh: a hello-world Hummingbird 2 server, built in release mode like countersign, so
// that a ratio to it measures what Countersign's request path adds to the framework's own.
//
//   HelloBenchmark PORT
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8081
let router = Router()
router.get("/") { _, _ in "Hello, world!" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
