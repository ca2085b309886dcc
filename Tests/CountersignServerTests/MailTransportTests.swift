import CountersignCore
import CountersignServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Mail transports and messages")
struct MailTransportTests {
    static let mail = OutgoingMail(
        recipient: "Jane.Doe+x@example.org", petitionSlug: try! PetitionSlug("p"), petitionTitle: "Tell Amazon — cut ties",
        kind: .confirm(token: "TOKEN"))

    @Test("a composed message has a Message-ID, a Date, an encoded subject and plain and HTML parts")
    func rendered() throws {
        let message = MailMessage(Self.mail, publicURL: "https://petitions.example.org", date: Date(timeIntervalSince1970: 0))
        let text = try message.rendered(from: "petitions@example.net")
        #expect(text.contains("\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("\r\nMessage-ID: <"))
        #expect(text.contains("@example.net>\r\n"))
        #expect(text.contains("Subject: =?utf-8?B?"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.contains("<a href=\"https://petitions.example.org/confirm/TOKEN\">"))
        #expect(text.hasPrefix("From: "))
    }

    /// An executable `sendmail` script holding `text`, in a folder of its own. Written through an O_CLOEXEC descriptor:
    /// a plain write leaves a descriptor that a process spawned by another test at that moment inherits, and the kernel
    /// then refuses to run the script ("Text file busy").
    static func script(_ text: String) throws -> (folder: URL, script: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("sendmail")
        let bytes = Array(text.utf8)
        let fd = open(script.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        #expect(fd >= 0)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        #expect(close(fd) == 0)
        return (folder, script)
    }

    @Test("sendmail gets the message on stdin and the recipient as an argument after --")
    func sendmail() async throws {
        let (folder, script) = try Self.script("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args\"\ncat > \"$(dirname \"$0\")/message\"\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let transport = SendmailMailTransport(program: script.path, sender: "petitions@example.net")
        try await transport.deliver(MailMessage(Self.mail, publicURL: "https://petitions.example.org"), within: .seconds(10))
        let args = try String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8)
        #expect(args == "-i\n-f\npetitions@example.net\n--\nJane.Doe+x@example.org\n")
        let message = try String(contentsOf: folder.appendingPathComponent("message"), encoding: .utf8)
        #expect(message.contains("/confirm/TOKEN"))
    }

    @Test("a failing sendmail is reported as an error")
    func sendmailFails() async throws {
        let transport = SendmailMailTransport(program: "/bin/false", sender: "petitions@example.net")
        await #expect(throws: (any Error).self) { try await transport.deliver(MailMessage(Self.mail, publicURL: "https://x.example"), within: .seconds(10)) }
    }

    @Test("a sendmail that hangs is killed at the deadline and the delivery fails")
    func sendmailTimeout() async throws {
        let start = ContinuousClock.now
        let (folder, script) = try Self.script("#!/bin/sh\nexec sleep 60\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let hanging = SendmailMailTransport(program: script.path, sender: "petitions@example.net")
        await #expect(throws: MailDeliveryError.self) {
            try await hanging.deliver(MailMessage(Self.mail, publicURL: "https://x.example"), within: .milliseconds(500))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("SMTP URLs: options parsed, unknown options and other schemes refused")
    func smtpURL() throws {
        let transport = try SMTPMailTransport(url: "smtp://user:p%40ss@mail.example.org:587?starttls=required&auth=login", sender: "a@example.net")
        #expect(transport.settings.url == "smtp://mail.example.org:587")
        #expect(transport.settings.username == "user")
        #expect(transport.settings.password == "p@ss")
        #expect(transport.settings.startTLSRequired)
        #expect(transport.settings.authMechanism == "LOGIN")
        #expect(throws: (any Error).self) { try SMTPMailTransport(url: "smtp://mail.example.org?tls=maybe", sender: "a@example.net") }
        #expect(throws: (any Error).self) { try SMTPMailTransport(url: "http://mail.example.org", sender: "a@example.net") }
    }

    @Test("STARTTLS is required for a relay that is not loopback unless made optional; a password file replaces the URL's")
    func smtpSafeDefaults() throws {
        #expect(try SMTPMailTransport(url: "smtp://mail.example.org:25", sender: "a@example.net").settings.startTLSRequired)
        #expect(try SMTPMailTransport(url: "smtp://203.0.113.5:25", sender: "a@example.net").settings.startTLSRequired)
        #expect(try !SMTPMailTransport(url: "smtp://127.0.0.1:2525", sender: "a@example.net").settings.startTLSRequired)
        #expect(try !SMTPMailTransport(url: "smtp://[::1]:2525", sender: "a@example.net").settings.startTLSRequired)
        #expect(try !SMTPMailTransport(url: "smtp://mail.example.org:25?starttls=optional", sender: "a@example.net").settings.startTLSRequired)
        let withFile = try SMTPMailTransport(url: "smtp://user:inurl@127.0.0.1:25", sender: "a@example.net", password: "fromfile")
        #expect(withFile.settings.password == "fromfile")
    }

    @Test("a secret file is read without its line break, and refused when the group or others can read it")
    func secretFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("s3cret\n".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(throws: ServerError.self) { try SecretFile.read(path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try SecretFile.read(path) == "s3cret")
        #expect(throws: ServerError.self) { try SecretFile.read(path + "-missing") }
    }

    @Test("the process can be made non-dumpable")
    func nonDumpable() throws {
        try ProcessHardening.disableDumps()
        #expect(!ProcessHardening.dumpable)
    }
}
