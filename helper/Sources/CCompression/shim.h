// zlib (linked: in every macOS SDK, and zlib1g-dev on Debian) and the few zstd types the qcow2
// reader needs. zstd is opened at run time (dlopen), so the helper builds and runs without it and
// says so when an image needs it.
#include <zlib.h>
#include <stddef.h>

typedef struct { const void *src; size_t size; size_t pos; } vmtui_zstd_in;
typedef struct { void *dst; size_t size; size_t pos; } vmtui_zstd_out;
typedef void *(*vmtui_zstd_create_fn)(void);
typedef size_t (*vmtui_zstd_free_fn)(void *);
typedef size_t (*vmtui_zstd_init_fn)(void *);
typedef size_t (*vmtui_zstd_stream_fn)(void *, vmtui_zstd_out *, vmtui_zstd_in *);
typedef unsigned (*vmtui_zstd_iserror_fn)(size_t);
