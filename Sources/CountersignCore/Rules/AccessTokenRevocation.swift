/// Whether revoking by a public token id goes ahead, from how many stored tokens have that id.
public enum AccessTokenRevocation {
    /// `true` when exactly one token has `id` (revoke it), `false` when none has; refuses an id two tokens share,
    /// since revoking both would cut off someone else.
    public static func admit(id: String, matches: Int) throws(StoreError) -> Bool {
        guard matches <= 1 else { throw .ambiguousTokenID(id) }
        return matches == 1
    }
}
