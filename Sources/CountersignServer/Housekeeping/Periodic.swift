import Logging
import ServiceLifecycle

/// Runs `body` now and then every `interval` until graceful shutdown, which cuts the sleep short. A failing round
/// is logged as `failure` with `describe(error)` (by default the error's type only) and the next round still runs.
func repeatUntilShutdown(
    every interval: Duration, logger: Logger, failure: String, describe: @escaping @Sendable (any Error) -> String = { "\(type(of: $0))" },
    _ body: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                logger.warning("\(failure)", metadata: ["error": "\(describe(error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
