/// When a sign request must carry a proof of work, and how hard the work is (`Docs/service.md`, "Proof of work").
///
/// The pressure is the larger of the petition's sign rate over ``petitionThreshold`` and the client network's over
/// ``networkThreshold``, both in sign requests over the last minute (``SignRateMeter``). Under ``Mode/auto`` a solution
/// is demanded while the pressure is above 1; under ``Mode/on`` always; under ``Mode/off`` never. `maxnumber` is
/// ``baseMaxNumber`` times the pressure (at least 1), up to ``ceilingMaxNumber``: twice the rate, twice the work.
public struct ProofOfWorkPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case off, on, auto
    }

    public var mode: Mode
    /// Sign requests a minute on one petition above which `auto` demands a solution.
    public var petitionThreshold: Double
    /// Sign requests a minute from one network (IPv4 /24, IPv6 /64) above which `auto` demands a solution.
    public var networkThreshold: Double
    /// `maxnumber` at pressure 1 or below: about 25,000 hashes on average, a fraction of a second in a browser.
    public var baseMaxNumber: Int
    /// The most `maxnumber` rises to.
    public var ceilingMaxNumber: Int

    public init(mode: Mode, petitionThreshold: Double = 600, networkThreshold: Double = 20, baseMaxNumber: Int = 50_000,
                ceilingMaxNumber: Int = 500_000) {
        self.mode = mode
        self.petitionThreshold = petitionThreshold
        self.networkThreshold = networkThreshold
        self.baseMaxNumber = baseMaxNumber
        self.ceilingMaxNumber = ceilingMaxNumber
    }

    /// What a sign request faces at these rates.
    public struct Demand: Sendable, Equatable {
        /// Whether a sign request without a solution is refused.
        public let required: Bool
        /// The `maxnumber` of the challenges handed out now.
        public let maxNumber: Int

        public init(required: Bool, maxNumber: Int) {
            self.required = required
            self.maxNumber = maxNumber
        }
    }

    /// The demand at a petition rate and a network rate, in sign requests over the last minute.
    public func demand(petitionRate: Double, networkRate: Double) -> Demand {
        let pressure = max(petitionRate / petitionThreshold, networkRate / networkThreshold)
        let scaled = Double(baseMaxNumber) * max(1, pressure)
        let maxNumber = Int(min(Double(ceilingMaxNumber), scaled.rounded(.up)))
        let required =
            switch mode {
            case .off: false
            case .on: true
            case .auto: pressure > 1
            }
        return Demand(required: required, maxNumber: maxNumber)
    }
}
