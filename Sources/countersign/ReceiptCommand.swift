import ArgumentParser
import CountersignCore
import CountersignServer
import Foundation

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Check a signer's receipt against a petition's public count log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        /// The exit codes besides 0 (counted) and 1 (a check failed, or an error), documented in Docs/auditing.md.
        static let pendingExit: Int32 = 3
        static let withdrawnExit: Int32 = 4

        static let configuration = CommandConfiguration(
            abstract: "Prove a receipt is counted, withdrawn or not yet logged; print PASS/PENDING/FAIL lines.",
            discussion: """
                FILE is a receipt.json, a file holding the receipt code (cs1:…), or a proof saved with --save. A receipt \
                is checked against the service (--url): it fetches the receipt's epoch and the log after it as tiles, \
                never one leaf. A saved proof is checked offline (no --url). Exit codes: 0 counted, 1 a check failed \
                (or an error), 3 pending (the epoch is not logged yet: run again later), 4 withdrawn. \
                Docs/auditing.md says what each line proves.
                """)

        @Argument(help: "A receipt.json, a file holding the receipt code, or a saved .tlog-proof.")
        var file: String

        @Option(help: "The service's base URL, such as https://petitions.example.org (not for a saved proof).")
        var url: String?

        @Option(help: "The audit log's verifier key you trust, NAME+KEYID+BASE64, as `GET /audit/key` or `countersign keys list` prints it.")
        var key: String

        @Option(help: "Write the receipt's proof (c2sp.org/tlog-proof@v1) there once it verifies, to check offline for good.")
        var save: String?

        @Option(help: """
            Keep the count checkpoint seen in this file, and check that the next run's log only grew since. Without it nothing \
            is written: a file that names the petition would show that you checked a receipt of it.
            """)
        var state: String?

        @Option(help: ArgumentHelp("A witness whose cosignature counts, NAME+KEYID+BASE64 (repeatable).", valueName: "verifier"))
        var witness: [String] = []

        @Option(help: "How many of the --witness keys must have cosigned the checkpoint (default: all of them).")
        var witnessesRequired: Int?

        func validate() throws {
            if url == nil, save != nil { throw ValidationError("--save needs --url: a proof is made from the service's tiles") }
            if url == nil, state != nil { throw ValidationError("--state needs --url: a saved proof is checked offline") }
            if let witnessesRequired, !(0...witness.count).contains(witnessesRequired) {
                throw ValidationError("--witnesses-required must lie between 0 and the number of --witness given (\(witness.count))")
            }
        }

        func run() async throws {
            let logKey = try SignedNote.Verifier(encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))
            let witnesses = try witness.map { try WitnessVerifier(encoded: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file) as UTF-8 text: give the receipt.json, the code's file or the saved proof")
            }
            switch try ReceiptFile(text: text, auditOrigin: logKey.name) {
            case .proof(let proof):
                guard url == nil else { throw ValidationError("\(file) is a saved proof: check it offline, without --url") }
                let outcome = ReceiptProofVerifier(logKey: logKey, witnesses: witnesses, witnessesRequired: witnessesRequired).verify(proof)
                print(outcome.report.text, terminator: "")
                try Self.exit(passed: outcome.report.passed, pending: false, withdrawn: outcome.event.map(Self.isWithdrawal) ?? false)
            case .receipt(let receipt):
                guard let url else { throw ValidationError("\(file) is a receipt: give --url, the service to check it against") }
                let verifier = ReceiptVerifier(logKey: logKey, witnesses: witnesses, witnessesRequired: witnessesRequired)
                let outcome = try await verifier.fetchAndVerify(receipt, fetcher: CountFetcher(base: url, slug: receipt.slug), statePath: state)
                print(outcome.report.text, terminator: "")
                if let save {
                    if let proof = outcome.proof, outcome.report.passed {
                        // The proof holds r: readable by its owner only, as a private document.
                        guard FileManager.default.createFile(atPath: save, contents: Data(proof.text.utf8), attributes: [.posixPermissions: 0o600])
                        else { throw ValidationError("cannot write \(save): choose a folder you can write to") }
                        print("saved the proof to \(save); check it offline with: countersign receipt verify \(save) --key KEY")
                    } else {
                        print("no proof saved: the receipt is not proven in the log yet")
                    }
                }
                var withdrawn = false
                if case .withdrawn? = outcome.status { withdrawn = true }
                try Self.exit(passed: outcome.report.passed, pending: outcome.status == .pending, withdrawn: withdrawn)
            }
        }

        private static func isWithdrawal(_ event: CountEvent) -> Bool {
            if case .withdraw = event.kind { true } else { false }
        }

        private static func exit(passed: Bool, pending: Bool, withdrawn: Bool) throws {
            guard passed else { throw ExitCode(1) }
            if pending { throw ExitCode(pendingExit) }
            if withdrawn { throw ExitCode(withdrawnExit) }
        }
    }
}
