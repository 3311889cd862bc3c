/*  ow_hash — SHA-256 and HMAC-SHA-256 as hex; see ow_hash.h.  */

#include "ow_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

static void
to_hex (const unsigned char *digest, unsigned length, char hex [OW_HASH_HEX_SIZE])
{
    static const char digits [] = "0123456789abcdef";
    for (unsigned i = 0; i < length && i < 32; i++) {
        hex [2 * i] = digits [digest [i] >> 4];
        hex [2 * i + 1] = digits [digest [i] & 15];
    }
    hex [64] = 0;
}

void
ow_hash_sha256_hex (const void *data, size_t size, char hex [OW_HASH_HEX_SIZE])
{
    unsigned char digest [EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest (data, size, digest, &length, EVP_sha256 (), NULL);
    to_hex (digest, length, hex);
}

void
ow_hash_hmac_sha256_hex (const void *key, size_t key_size, const void *data,
                         size_t size, char hex [OW_HASH_HEX_SIZE])
{
    unsigned char digest [EVP_MAX_MD_SIZE];
    unsigned length = 0;
    HMAC (EVP_sha256 (), key, (int) key_size, data, size, digest, &length);
    to_hex (digest, length, hex);
}
