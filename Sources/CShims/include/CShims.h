// Kernel interfaces that Swift's Glibc module does not export, and the GNU extensions that
// need _GNU_SOURCE, which Glibc's module map does not define.
#ifndef PACE_CSHIMS_H
#define PACE_CSHIMS_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <pthread.h>

#include <stdint.h>

/// accept4 that also reports the peer's IPv4 address (host byte order; 0 for other families).
int pace_accept4(int fd, int flags, uint32_t *peer);
int pace_set_thread_name(const char *name);

/// CPUs the calling thread may run on, lowest first; writes up to `capacity`, returns the count
/// (or -1 with errno set).
int pace_allowed_cpus(int *cpus, int capacity);
/// Restricts the calling thread to one CPU; 0 or an errno value.
int pace_pin_thread(int cpu);
/// Asks the fair scheduler (EEVDF, Linux 6.12 and later) for `nanoseconds` time slices for the
/// calling thread, keeping its policy and nice value; 0 or an errno value.
int pace_request_slice(uint64_t nanoseconds);
#endif
