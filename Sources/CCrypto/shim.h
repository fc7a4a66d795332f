#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

/// EVP_PKEY_fromdata selections, which OpenSSL spells as macros of macros Swift cannot import.
static inline int pace_evp_pkey_keypair(void) { return EVP_PKEY_KEYPAIR; }
static inline int pace_evp_pkey_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
