// libFuzzer's driver, for fuzz targets whose `main` SwiftPM names itself (see FuzzSupport's FuzzDriver).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
