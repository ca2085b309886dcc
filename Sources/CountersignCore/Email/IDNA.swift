import CIDN2

/// Converts a domain to its IDNA ASCII form (IDNA2008 with UTS #46 non-transitional mapping) through libidn2.
enum IDNA {
    /// The ASCII (punycode) form of `domain`; ASCII input comes back lowercased and checked.
    static func toASCII(_ domain: String) throws(EmailAddressError) -> String {
        let flags = Int32(IDN2_NFC_INPUT.rawValue | IDN2_NONTRANSITIONAL.rawValue | IDN2_USE_STD3_ASCII_RULES.rawValue)
        var output: UnsafeMutablePointer<CChar>?
        let status = idn2_to_ascii_8z(domain, &output, flags)
        defer { idn2_free(output) }
        guard status == IDN2_OK.rawValue, let output else {
            throw EmailAddressError(.invalidDomain, detail: String(cString: idn2_strerror(status)))
        }
        return String(cString: output)
    }
}
