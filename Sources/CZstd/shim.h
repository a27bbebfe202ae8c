#ifndef DIGITAG_CZSTD_SHIM_H
#define DIGITAG_CZSTD_SHIM_H
#include <zstd.h>
#include <zstd_errors.h>
#endif
