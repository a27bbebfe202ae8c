#ifndef DIGITAG_CCSV_SHIM_H
#define DIGITAG_CCSV_SHIM_H
#include <stddef.h>
#include <csv.h>
#endif
