#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

/* A composite macro Swift does not import: the selection for a public key with its parameters. */
static const int pace_evp_pkey_public_key = EVP_PKEY_PUBLIC_KEY;
