/// Everything Countersign keeps, as one store: the composition of the role protocols, which the SQLite, PostgreSQL
/// and in-memory stores implement. A consumer asks for the roles it uses (``AccessTokenStore`` for access control,
/// ``SignerLedger`` and ``PetitionStore`` for the signer's flows), not for this whole.
///
/// Implementations: ``InMemorySignatureStore`` (tests), and in `CountersignStorage` the SQLite store (the embedded
/// default) and the PostgreSQL store (several instances sharing one database). One contract suite
/// (`Tests/CountersignStorageTests`) runs against all three.
///
/// A store is persistence and locking. Each operation is one transaction that commits completely or changes nothing
/// (but the close of a count epoch, a few bounded ones: ``CountLogStore/closeCountEpoch(_:at:policy:)``): it reads
/// what it needs under its lock, asks the rule in `Sources/CountersignCore/Rules/` what to write (or why to refuse), and
/// writes that. Invariants every implementation keeps:
/// - at most one signature per (petition, pseudonym), enforced by a uniqueness constraint;
/// - the aggregates change in the same transaction as the signature rows, so ``SignerLedger/recount(_:)`` always
///   finds them consistent (until the key is shredded, after which the aggregates are frozen and the rows gone);
/// - a token id is consumed at most once, even under concurrent confirms;
/// - a signature keeps its UTC day only, never a time.
public protocol SignatureStore:
    PetitionStore, SignerLedger, PetitionKeyStore, AccessTokenStore, ReleaseStore, AuditLogStore, CountLogStore, SpentChallengeStore {}
