// The host calls the network backends make that Swift cannot import
// directly: TUNSETIFF (struct ifreq is a union) and eventfd.
#ifndef CHOSTNETWORK_H
#define CHOSTNETWORK_H

/// Opens /dev/net/tun non-blocking and close-on-exec and attaches it to the
/// TAP interface `name` (IFF_TAP | IFF_NO_PI), creating the interface if
/// needed. Returns the descriptor, or -errno (-ENAMETOOLONG for a name of
/// IFNAMSIZ characters or more).
int armv_tap_open(const char *name);

/// A non-blocking, close-on-exec eventfd counting from 0; -errno on failure.
int armv_eventfd(void);

#endif
