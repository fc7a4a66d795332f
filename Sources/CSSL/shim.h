// libssl for PaceTLS, and the few libssl/libcrypto calls that OpenSSL spells as macros
// (function-like macros, or constants built with SSL_OP_BIT casts), which Swift cannot import.
#ifndef PACE_CSSL_SHIM_H
#define PACE_CSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/core_names.h>
#include <openssl/tls1.h>

/// The options Pace sets on its contexts: no renegotiation and no TLS compression (CRIME).
/// SSL_OP_IGNORE_UNEXPECTED_EOF stays off: PaceTLS classifies end of stream itself.
static inline uint64_t pace_ssl_options(void) {
    return SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION;
}

static inline int pace_ssl_ctx_set_versions(SSL_CTX *ctx, int min, int max) {
    return SSL_CTX_set_min_proto_version(ctx, min) && SSL_CTX_set_max_proto_version(ctx, max);
}

static inline long pace_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline int pace_ssl_ctx_set_groups(SSL_CTX *ctx, const char *groups) {
    return (int)SSL_CTX_set1_groups_list(ctx, groups);
}

/// Bytes the memory BIO's buffer can hold without growing, so idle buffers can be dropped.
static inline size_t pace_bio_mem_capacity(BIO *bio) {
    BUF_MEM *memory = NULL;
    if (BIO_get_mem_ptr(bio, &memory) <= 0 || memory == NULL) return 0;
    return memory->max;
}

/// The server name a client sends (SNI); a macro over SSL_ctrl in OpenSSL.
static inline int pace_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline void pace_ssl_ctx_disable_session_cache(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

/// Keys a session ticket's HMAC-SHA256. OSSL_PARAM keeps pointers to its key names, and its
/// names are the OSSL_MAC_PARAM_* string macros, which Swift imports only as copies.
static inline int pace_ticket_mac_init(EVP_MAC_CTX *mac, unsigned char *key, size_t length) {
    char digest[] = "SHA256";
    OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key, length),
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end()
    };
    return EVP_MAC_CTX_set_params(mac, parameters);
}
#endif
