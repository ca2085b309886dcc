/// A token that cannot be made as asked.
public enum AccessTokenError: Error, CustomStringConvertible {
    /// An auditor token was asked for one petition.
    case petitionForAuditor

    public var description: String {
        switch self {
        case .petitionForAuditor: "--petition applies to organizer tokens; an auditor token is for /metrics, which no petition owns"
        }
    }
}
