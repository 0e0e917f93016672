#ifndef PORTICO_CPROTOBUFC_SHIM_H
#define PORTICO_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
