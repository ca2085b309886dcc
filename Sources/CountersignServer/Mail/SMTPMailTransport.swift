import CCurl
import CountersignCore
import Foundation

/// Delivers mail over SMTP through libcurl: STARTTLS (required or opportunistic), AUTH PLAIN or LOGIN, and
/// connect and total timeouts. Configured by a URL:
///
///     smtp://[user:password@]host:port[?starttls=required|optional][&auth=plain|login][&cafile=PATH]
///
/// STARTTLS is required with credentials and for a relay that is not loopback, and opportunistic otherwise, unless
/// `starttls` says otherwise. The password may come from `password` (a password file) instead of the URL.
/// Each delivery runs the blocking `curl_easy_perform` on a thread of its own, off the cooperative pool, and gives up
/// at the queue's deadline. A 5xx reply is a permanent refusal (``MailDeliveryError/permanent``).
public struct SMTPMailTransport: MailTransport {
    public struct Settings: Sendable, Equatable {
        public var url: String
        public var username: String?
        public var password: String?
        public var startTLSRequired = false
        public var authMechanism: String?
        public var caFile: String?
        public var connectTimeout: Duration = .seconds(10)
    }

    public let settings: Settings
    /// The envelope and `From:` address.
    public let sender: String

    /// Parses an `smtp://` or `smtps://` URL; the message says what is wrong. A `password` replaces the URL's.
    public init(url: String, sender: String, password: String? = nil) throws {
        guard let components = URLComponents(string: url), ["smtp", "smtps"].contains(components.scheme), let host = components.host, !host.isEmpty
        else { throw ServerError("--mail takes smtp://[user:password@]host:port[?starttls=required&auth=plain|login]") }
        var settings = Settings(url: "\(components.scheme ?? "smtp")://\(host):\(components.port ?? 25)")
        settings.username = components.user?.removingPercentEncoding
        settings.password = password ?? components.password?.removingPercentEncoding
        var startTLS: Bool?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("starttls", "required"): startTLS = true
            case ("starttls", "optional"): startTLS = false
            case ("auth", let mechanism?) where ["plain", "login"].contains(mechanism): settings.authMechanism = mechanism.uppercased()
            case ("cafile", let path?): settings.caFile = path
            default: throw ServerError("unknown --mail option \(item.name); the options are starttls=required|optional, auth=plain|login, cafile=PATH")
            }
        }
        // Credentials and mail never cross a network in clear: with a user, or to a relay that is not loopback, STARTTLS
        // is required unless explicitly made optional.
        settings.startTLSRequired = startTLS ?? (settings.username != nil || !Loopback.contains(host: host))
        self.settings = settings
        self.sender = sender
    }

    public func deliver(_ message: MailMessage, within deadline: Duration) async throws {
        let text = try message.rendered(from: sender)
        let settings = settings
        let sender = sender
        let recipient = message.recipient
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.send(text, from: sender, to: recipient, settings: settings, deadline: deadline) })
            }
        }
    }

    private final class Payload {
        let bytes: [UInt8]
        var offset = 0
        init(_ text: String) { bytes = Array(text.utf8) }
    }

    private static func send(_ text: String, from sender: String, to recipient: String, settings: Settings, deadline: Duration) throws {
        guard let curl = curl_easy_init() else { throw MailDeliveryError("curl_easy_init failed") }
        defer { curl_easy_cleanup(curl) }
        let recipients = curl_slist_append(nil, "<\(recipient)>")
        defer { curl_slist_free_all(recipients) }
        let payload = Payload(text)
        let userdata = Unmanaged.passUnretained(payload).toOpaque()

        var status = CURLE_OK
        func set(_ result: CURLcode) { if status == CURLE_OK { status = result } }
        set(countersign_curl_set_string(curl, CURLOPT_URL, settings.url))
        set(countersign_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(sender)>"))
        set(countersign_curl_set_slist(curl, CURLOPT_MAIL_RCPT, recipients))
        set(countersign_curl_set_long(curl, CURLOPT_UPLOAD, 1))
        set(countersign_curl_set_read_function(curl) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let payload = Unmanaged<Payload>.fromOpaque(userdata).takeUnretainedValue()
            let length = min(size * count, payload.bytes.count - payload.offset)
            payload.bytes.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, length > 0 { memcpy(buffer, base + payload.offset, length) }
            }
            payload.offset += length
            return length
        })
        set(countersign_curl_set_pointer(curl, CURLOPT_READDATA, userdata))
        set(countersign_curl_set_long(curl, CURLOPT_USE_SSL, Int(settings.startTLSRequired ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue)))
        let deadlineMilliseconds = Int(deadline.components.seconds * 1000 + deadline.components.attoseconds / 1_000_000_000_000_000)
        let connectMilliseconds = Int(settings.connectTimeout.components.seconds * 1000)
        set(countersign_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, min(connectMilliseconds, deadlineMilliseconds))))
        set(countersign_curl_set_long(curl, CURLOPT_TIMEOUT_MS, max(1, deadlineMilliseconds)))
        set(countersign_curl_set_long(curl, CURLOPT_NOSIGNAL, 1))
        if let username = settings.username { set(countersign_curl_set_string(curl, CURLOPT_USERNAME, username)) }
        if let password = settings.password { set(countersign_curl_set_string(curl, CURLOPT_PASSWORD, password)) }
        if let mechanism = settings.authMechanism { set(countersign_curl_set_string(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=\(mechanism)")) }
        if let caFile = settings.caFile { set(countersign_curl_set_string(curl, CURLOPT_CAINFO, caFile)) }
        guard status == CURLE_OK else { throw MailDeliveryError("libcurl refused an option: \(String(cString: curl_easy_strerror(status)))") }
        let result = withExtendedLifetime(payload) { curl_easy_perform(curl) }
        guard result == CURLE_OK else {
            var reply = 0
            _ = countersign_curl_get_response_code(curl, &reply)
            throw MailDeliveryError(
                "SMTP delivery failed: \(String(cString: curl_easy_strerror(result)))\(reply > 0 ? " (reply \(reply))" : "")",
                permanent: (500..<600).contains(reply))
        }
    }
}
