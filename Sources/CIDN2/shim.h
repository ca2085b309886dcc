#ifndef COUNTERSIGN_CIDN2_SHIM_H
#define COUNTERSIGN_CIDN2_SHIM_H

#include <idn2.h>

#endif
