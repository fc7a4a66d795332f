#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass zlib's version and struct size, which
// Swift cannot import; these wrappers make them plain functions. The memory level is zlib's
// default (8).
static inline int pace_deflate_init(z_streamp stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}

static inline int pace_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
