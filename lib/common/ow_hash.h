/*  ow_hash — SHA-256 and HMAC-SHA-256 as lower-case hex.

    A document's identity is the SHA-256 of its bytes; webhook bodies are
    signed with HMAC-SHA-256. Both come from OpenSSL's libcrypto.
*/
#ifndef OW_HASH_H
#define OW_HASH_H

#include <stddef.h>

#define OW_HASH_HEX_SIZE 65     // 64 hex digits and the terminator

void ow_hash_sha256_hex (const void *data, size_t size, char hex [OW_HASH_HEX_SIZE]);
void ow_hash_hmac_sha256_hex (const void *key, size_t key_size, const void *data,
                              size_t size, char hex [OW_HASH_HEX_SIZE]);

#endif
