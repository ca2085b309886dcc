import CountersignCore
import Foundation
import Hummingbird

/// The JSON API (`Docs/openapi.yaml`). A petition's count (`GET /api/petitions/{slug}`) comes from a per-second cache
/// of the encoded answer, so it is at most a second old, and a surge of pollers costs the store one read and the
/// encoder one run a second. It carries the logged count beside the live one: the count line of the petition's current
/// count checkpoint (`loggedCount`) and that checkpoint's tree size (`logSize`), read through the same cache.
///
/// A confirmation that counted answers with the signer's receipt (``ReceiptOffer``), once.
///
/// With proof of work on (`--proof-of-work on|auto`), `GET /api/challenge` hands out ALTCHA v1 challenges, and a sign
/// carries its solution in the `altcha` member (``ProofOfWorkGate``).
struct APIRoutes: Sendable {
    let service: SigningService
    let mail: MailSender
    let proofOfWork: ProofOfWorkGate?
    let countLogs: CountLogCache
    let details = PerSecondCache<PetitionSlug, ByteBuffer>()

    struct PetitionSummary: ResponseEncodable {
        let slug: String
        let title: String
        let state: String
        let count: Int
    }

    struct PetitionDetail: Encodable, Sendable {
        let slug: String
        let title: String
        let state: String
        let count: Int
        let loggedCount: Int
        let logSize: Int
        let text: String
        let regions: [String]
    }

    struct SignBody: Decodable {
        let email: String
        let region: String?
        let altcha: String?
    }

    struct EmailBody: Decodable {
        let email: String
    }

    struct TokenBody: Decodable {
        let token: String
    }

    struct Status: ResponseEncodable {
        let status: String
    }

    /// `{"receipt": {receipt.json}, "receiptCode": "cs1:…", "status": "confirmed"}`, or `{"status": "already-confirmed"}`.
    struct ConfirmAnswer: Encodable {
        let receipt: Receipt?
        let receiptCode: String?
        let status: String
    }

    /// Sorted keys and unescaped slashes, as `receipt.json` itself.
    static let answerEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func add(to router: Router<CountersignRequestContext>) {
        let api = router.group("api")
        api.get("challenge") { request, context in try challenge(request, context) }
        api.get("petitions") { _, _ in try await petitions() }
        api.get("petitions/:slug") { _, context in try await petition(slug(context)) }
        api.post("petitions/:slug/signatures") { request, context in try await sign(request, context, slug(context)) }
        api.post("petitions/:slug/withdrawals") { request, context in try await requestWithdrawal(request, context, slug(context)) }
        api.post("confirmations") { request, _ in try await confirm(request) }
        api.post("withdrawals") { request, _ in try await withdraw(request) }
    }

    private func petitions() async throws(APIError) -> [PetitionSummary] {
        do {
            return try await service.store.petitionTotals().map { listed in
                PetitionSummary(slug: listed.petition.slug.value, title: listed.petition.title, state: listed.petition.state.rawValue, count: listed.total)
            }
        } catch {
            throw Self.failure(error)
        }
    }

    private func petition(_ slug: PetitionSlug) async throws(APIError) -> Response {
        let body = try await details.value(for: slug) { () throws(APIError) -> ByteBuffer? in
            let petition: PetitionRecord?
            let count: Int
            let logged: CountLogCache.Snapshot
            do {
                petition = try await service.store.petition(slug)
                guard petition != nil else { return nil }
                count = try await service.store.aggregates(slug).total
                logged = try await countLogs.current(slug)
            } catch let error as StoreError {
                throw Self.failure(error)
            } catch {
                throw .internal
            }
            guard let petition else { return nil }
            let detail = PetitionDetail(
                slug: slug.value, title: petition.title, state: petition.state.rawValue, count: count,
                loggedCount: logged.checkpoint.count, logSize: logged.size, text: petition.text, regions: petition.regions)
            guard let json = try? JSONEncoder().encode(detail) else { throw .internal }
            return ByteBuffer(bytes: json)
        }
        guard let body else { throw .unknownPetition }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    private func sign(_ request: Request, _ context: CountersignRequestContext, _ slug: PetitionSlug) async throws(APIError) -> EditedResponse<Status> {
        let body = try await RequestBody.json(SignBody.self, from: request)
        let region = body.region?.isEmpty == false ? body.region : nil
        let network = try mail.network(of: context.clientAddress)
        try await proofOfWork?.admit(body.altcha, slug: slug, network: network)
        try await mail.send(from: network) { () throws(SigningError) in try await service.prepareSign(slug: slug, email: body.email, region: region) }
        return EditedResponse(status: .accepted, response: Status(status: "pending"))
    }

    /// A proof-of-work challenge, at the difficulty the petition's sign rate (`?petition=SLUG`, optional) and the client
    /// network's call for; never cached.
    private func challenge(_ request: Request, _ context: CountersignRequestContext) throws(APIError) -> Response {
        guard let proofOfWork else { throw .proofOfWorkOff }
        var slug: PetitionSlug?
        for (name, value) in request.uri.queryParameters {
            guard name == "petition", slug == nil, let parsed = try? PetitionSlug(String(value)) else { throw .badQuery }
            slug = parsed
        }
        let challenge = try proofOfWork.challenge(slug, network: mail.network(of: context.clientAddress))
        guard let json = try? JSONEncoder().encode(challenge) else { throw .internal }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    private func requestWithdrawal(_ request: Request, _ context: CountersignRequestContext, _ slug: PetitionSlug) async throws(APIError) -> EditedResponse<Status> {
        let body = try await RequestBody.json(EmailBody.self, from: request)
        try await mail.send(from: mail.network(of: context.clientAddress)) { () throws(SigningError) in try await service.prepareWithdrawal(slug: slug, email: body.email) }
        return EditedResponse(status: .accepted, response: Status(status: "pending"))
    }

    /// The answer is a ``ConfirmAnswer``: the receipt is offered once, when the confirmation counted.
    private func confirm(_ request: Request) async throws(APIError) -> Response {
        let body = try await RequestBody.json(TokenBody.self, from: request)
        let confirmation: Confirmation
        do {
            confirmation = try await service.confirm(token: body.token)
        } catch {
            throw .from(error)
        }
        let json: Data
        do {
            let offer = try ReceiptOffer(confirmation, auditOrigin: countLogs.auditOrigin)
            let answer = ConfirmAnswer(
                receipt: offer?.receipt, receiptCode: try offer?.code(), status: confirmation.outcome.counted ? "confirmed" : "already-confirmed")
            json = try Self.answerEncoder.encode(answer)
        } catch {
            // The signature counts already; only the receipt is lost, and nothing about it is logged.
            throw .internal
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    private func withdraw(_ request: Request) async throws(APIError) -> Status {
        let body = try await RequestBody.json(TokenBody.self, from: request)
        do {
            return Status(status: try await service.withdraw(token: body.token) == .withdrawn ? "withdrawn" : "already-withdrawn")
        } catch {
            throw .from(error)
        }
    }

    private func slug(_ context: some RequestContext) throws(APIError) -> PetitionSlug {
        guard let text = context.parameters.get("slug"), let slug = try? PetitionSlug(text) else { throw .unknownPetition }
        return slug
    }

    private static func failure(_ error: StoreError) -> APIError {
        error.code == .unknownPetition ? .unknownPetition : .from(.store(error))
    }
}
