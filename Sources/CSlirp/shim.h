// libslirp's API (user-mode networking), found through pkg-config (slirp).
#ifndef CSLIRP_SHIM_H
#define CSLIRP_SHIM_H
#include <libslirp.h>
#endif
