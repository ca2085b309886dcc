import CountersignCore

/// A commitment to a fresh secret that no one keeps, for tests that confirm without a receipt.
@Sendable public func anyReceipt(_ slug: PetitionSlug) throws -> ReceiptCommitment {
    try ReceiptCommitment(slug: slug.value, secret: ReceiptCommitment.randomSecret())
}
