/// The `Cache-Control` values of the responses that may be cached; every other response is `no-store`
/// (``SecurityHeadersMiddleware``).
enum CacheControl {
    /// A live value, read through a ``PerSecondCache`` (the count badge, a count checkpoint, a partial tile): others may
    /// keep it for a second, as long as the server does.
    static let perSecond = "public, max-age=1"
    /// The stylesheet and `/pow.js`, which change only with a new release.
    static let hourly = "public, max-age=3600"
    /// A full tile of a count log, which never changes.
    static let immutable = "public, max-age=31536000, immutable"
}
