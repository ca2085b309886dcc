import CountersignCrypto

/// Exact sampling of the discrete Laplace distribution, the noise of an export with differential privacy.
///
/// For ε given, a sample `y` has probability `(1 - p) / (1 + p) · p^|y|` with `p = exp(-ε)`: a count with sensitivity 1
/// (one signer changes one cell by one) plus this noise is ε-differentially private.
///
/// The sampler is Algorithm 2 of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
/// (2020), with scale `t/s = 1/ε` (so `t` is ε's denominator and `s` its numerator), built on their Algorithm 1
/// for Bernoulli(exp(-γ)). It uses integer arithmetic and uniform integers only: floating point would round the
/// probabilities and leak through the low bits of the output (Mironov, 2012).
public struct DiscreteLaplace: Sendable {
    /// A source of uniform integers in `0..<bound`, such as ``SecureRandom/uniform(below:)``.
    public typealias UniformSource = @Sendable (_ bound: UInt64) throws(CryptoError) -> UInt64

    /// The privacy parameter; the noise's scale is `1/ε`.
    public let epsilon: Epsilon
    private let uniform: UniformSource

    /// A sampler for `epsilon`, drawing from `uniform`; tests pass a fixed source, everything else keeps the default.
    public init(epsilon: Epsilon, uniform: @escaping UniformSource = SecureRandom.uniform(below:)) {
        self.epsilon = epsilon
        self.uniform = uniform
    }

    /// One sample drawn with ``SecureRandom``: `DiscreteLaplace(epsilon: epsilon).sample()`.
    public static func sample(epsilon: Epsilon) throws(CryptoError) -> Int {
        try DiscreteLaplace(epsilon: epsilon).sample()
    }

    /// One sample of the noise: an integer, 0 most often, symmetric about 0.
    public func sample() throws(CryptoError) -> Int {
        let t = UInt64(epsilon.denominator)
        let s = UInt64(epsilon.numerator)
        while true {
            // X = U + t·V is geometric with parameter exp(-1/t): U is its remainder mod t and V its quotient.
            let u = try uniform(t)
            guard try bernoulliExp(u, over: t) else { continue }
            var v: UInt64 = 0
            while try bernoulliExp(1, over: 1) { v += 1 }
            let y = (u + t * v) / s
            let negative = try uniform(2) == 1
            // -0 and +0 would otherwise both yield 0, doubling its probability.
            if negative && y == 0 { continue }
            return negative ? -Int(y) : Int(y)
        }
    }

    /// Bernoulli(exp(-n/d)), Algorithm 1 of Canonne, Kamath and Steinke.
    private func bernoulliExp(_ n: UInt64, over d: UInt64) throws(CryptoError) -> Bool {
        guard n <= d else {
            // exp(-γ) = exp(-1)^⌊γ⌋ · exp(-(γ - ⌊γ⌋)).
            for _ in 0..<(n / d) {
                guard try bernoulliExp(1, over: 1) else { return false }
            }
            return try bernoulliExp(n % d, over: d)
        }
        // For γ ≤ 1, the first k with a failed Bernoulli(γ/k) is odd with probability exp(-γ).
        var k: UInt64 = 1
        while true {
            // d·k cannot overflow in practice: reaching k means k - 1 successes, of probability γ^(k-1)/(k-1)!.
            let (bound, overflow) = d.multipliedReportingOverflow(by: k)
            guard !overflow, try uniform(bound) < n else { break }
            k += 1
        }
        return k % 2 == 1
    }
}
