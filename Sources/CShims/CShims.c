#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include "CShims.h"

#include <netinet/in.h>
#include <arpa/inet.h>

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
