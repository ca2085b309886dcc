import CountersignCore
import Foundation
import Synchronization

/// The proof-of-work check of a sign request (`--proof-of-work on|auto`), made before the rate limit, the mail queue
/// and the store, so that a refused request changes nothing but the sign rates it is counted in.
///
/// Each sign request counts toward its petition's rate and its network's (``SignRateMeter``, in memory, a minute
/// long); ``ProofOfWorkPolicy`` says from these whether a solution is demanded and how hard the challenges are. A
/// solution sent is checked whenever the gate is on, demanded or not, and spent once (``SpentChallengeStore``).
final class ProofOfWorkGate: Sendable {
    let policy: ProofOfWorkPolicy
    private let service: SigningService
    private let rates: Mutex<(petitions: SignRateMeter<PetitionSlug>, networks: SignRateMeter<NetworkID>)>
    private let now: @Sendable () -> Date

    /// Networks are named by the caller, with the ``NetworkIdentifier`` the rate limit and the trends use, once per
    /// request.
    init(policy: ProofOfWorkPolicy, service: SigningService, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.service = service
        self.rates = Mutex((SignRateMeter(capacity: 100_000), SignRateMeter(capacity: 500_000)))
        self.now = now
    }

    /// What a sign request on `slug` from `network` faces now; `slug` `nil` asks for the network alone.
    func demand(_ slug: PetitionSlug?, network: NetworkID) -> ProofOfWorkPolicy.Demand {
        let date = now()
        let (petitionRate, networkRate) = rates.withLock { rates in
            (slug.map { rates.petitions.rate($0, at: date) } ?? 0, rates.networks.rate(network, at: date))
        }
        return policy.demand(petitionRate: petitionRate, networkRate: networkRate)
    }

    /// A challenge at the difficulty ``demand(_:network:)`` gives.
    func challenge(_ slug: PetitionSlug?, network: NetworkID) throws(APIError) -> ProofOfWorkChallenge {
        do {
            return try service.proofOfWork.challenge(maxNumber: demand(slug, network: network).maxNumber, petition: slug, now: now())
        } catch {
            throw .internal
        }
    }

    /// Counts a sign request and checks its `altcha` field: refused when a solution is demanded and `field` is absent or
    /// empty, and whenever one is sent that does not check, was spent, was issued for another petition, or (while work
    /// is demanded) is less than half as hard as the challenges handed out now.
    ///
    /// A network's requests count toward the petition's rate only up to the network threshold, so one network cannot
    /// make everyone else on a petition do work; past it, that network alone does.
    func admit(_ field: String?, slug: PetitionSlug, network: NetworkID) async throws(APIError) {
        let date = now()
        let demand = rates.withLock { rates in
            let networkRate = rates.networks.record(network, at: date)
            let petitionRate = networkRate <= policy.networkThreshold ? rates.petitions.record(slug, at: date) : rates.petitions.rate(slug, at: date)
            return policy.demand(petitionRate: petitionRate, networkRate: networkRate)
        }
        guard let field, !field.isEmpty else {
            if demand.required { throw .from(ProofOfWorkError.required()) }
            return
        }
        let spent: SpentChallenge
        do throws(ProofOfWorkError) {
            let solution = try ProofOfWorkSolution(field: field)
            spent = try service.proofOfWork.verify(solution, now: date)
            // Verified, so the binding is ours: it says for which petition, and how hard, the challenge was issued.
            guard let binding = solution.salt.binding, (try? binding.allows(slug)) == true,
                !demand.required || binding.maxNumber * 2 >= demand.maxNumber
            else { throw ProofOfWorkError.stale() }
        } catch {
            throw .from(error)
        }
        let first: Bool
        do {
            first = try await service.store.spend(spent, at: date)
        } catch {
            throw .from(.store(error))
        }
        guard first else { throw .from(ProofOfWorkError.spent()) }
    }
}
