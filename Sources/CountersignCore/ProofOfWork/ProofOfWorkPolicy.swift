/// When a sign request must carry a proof of work, and how hard the work is (`Docs/service.md`, "Proof of work").
///
/// The pressure is the larger of the petition's sign rate over ``petitionThreshold`` and the client network's over
/// ``networkThreshold``, both in sign requests over the last minute (``SignRateMeter``). Under ``Mode/auto`` a solution
/// is demanded while the pressure is above 1; under ``Mode/on`` always; under ``Mode/off`` never. `maxnumber` is
/// ``baseMaxNumber`` times the first of ``levels`` at or above the pressure (the last one past it), up to
/// ``ceilingMaxNumber``: about twice the rate, twice the work. A few fixed levels, not the pressure itself, so that the
/// difficulty handed out does not count the signs of a client's neighbours one by one.
public struct ProofOfWorkPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable {
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

    /// The multiples of ``baseMaxNumber`` handed out.
    public static let levels = [1, 2, 4, 10]

    /// The demand at a petition rate and a network rate, in sign requests over the last minute.
    public func demand(petitionRate: Double, networkRate: Double) -> Demand {
        let pressure = max(petitionRate / petitionThreshold, networkRate / networkThreshold)
        let level = Self.levels.first { Double($0) >= pressure } ?? Self.levels[Self.levels.count - 1]
        let maxNumber = min(ceilingMaxNumber, baseMaxNumber * level)
        let required =
            switch mode {
            case .off: false
            case .on: true
            case .auto: pressure > 1
            }
        return Demand(required: required, maxNumber: maxNumber)
    }
}
