#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include "CShims.h"

#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int pace_accept4(int fd, int flags, uint32_t *peer) {
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    int client = accept4(fd, (struct sockaddr *)&address, &length, flags);
    *peer = 0;
    if (client >= 0 && address.ss_family == AF_INET) {
        *peer = ntohl(((struct sockaddr_in *)&address)->sin_addr.s_addr);
    }
    return client;
}

int pace_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int pace_allowed_cpus(int *cpus, int capacity) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && count < capacity; cpu++) {
        if (CPU_ISSET(cpu, &set)) cpus[count++] = cpu;
    }
    return count;
}

int pace_pin_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* The kernel's struct sched_attr (include/uapi/linux/sched/types.h), declared here because
   glibc does not export it and the kernel header is not always installed. */
struct pace_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

int pace_request_slice(uint64_t nanoseconds) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    if (nice == -1 && errno != 0) return errno;
    struct pace_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = SCHED_OTHER;
    attr.sched_nice = nice;
    attr.sched_runtime = nanoseconds;
    return syscall(SYS_sched_setattr, 0, &attr, 0) == 0 ? 0 : errno;
}
