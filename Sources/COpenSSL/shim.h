#ifndef COUNTERSIGN_COPENSSL_SHIM_H
#define COUNTERSIGN_COPENSSL_SHIM_H

// Hide the OpenSSL 1.1 APIs: everything here goes through the EVP and provider interfaces of OpenSSL 3.
#define OPENSSL_NO_DEPRECATED 1
#define OPENSSL_API_COMPAT 30000

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/// Keys an HMAC-SHA256 `EVP_MAC_CTX`.
///
/// `OSSL_MAC_PARAM_DIGEST` is a string macro, which Swift imports only as a temporary `String`, and
/// `OSSL_PARAM_construct_utf8_string` keeps the pointers it is given until `EVP_MAC_init` reads them.
/// Built here, the parameter names and the digest name are static literals that outlive the call.
static inline int countersign_hmac_sha256_init(EVP_MAC_CTX *ctx, const unsigned char *key, size_t key_length) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(ctx, key, key_length, params);
}

/// Runs HKDF-SHA256 (extract then expand, RFC 5869) on an `EVP_KDF_CTX` fetched for "HKDF".
///
/// The `OSSL_KDF_PARAM_*` names are string macros and the octet-string parameters keep the buffer
/// pointers until `EVP_KDF_derive` reads them, so the parameter array is built in C, on this stack frame.
static inline int countersign_hkdf_sha256_derive(
    EVP_KDF_CTX *ctx,
    unsigned char *out, size_t out_length,
    const unsigned char *ikm, size_t ikm_length,
    const unsigned char *salt, size_t salt_length,
    const unsigned char *info, size_t info_length
) {
    OSSL_PARAM params[5];
    size_t n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_length);
    if (salt_length > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_length);
    }
    if (info_length > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_length);
    }
    params[n] = OSSL_PARAM_construct_end();
    return EVP_KDF_derive(ctx, out, out_length, params);
}

#endif
