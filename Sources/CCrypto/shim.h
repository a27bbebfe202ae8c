// OpenSSL's libcrypto, for SHA-256 only (Sources/DigiTagIO/SHA256.swift is the one file that uses it).
// The one-shot SHA256_Init/Update/Final functions are deprecated in OpenSSL 3 in favour of EVP, but their
// context is a plain struct that copies by value, which the draw's prefix hashing relies on.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
