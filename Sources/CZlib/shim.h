#ifndef PORTICO_CZLIB_SHIM_H
#define PORTICO_CZLIB_SHIM_H
#include <zlib.h>
#endif
