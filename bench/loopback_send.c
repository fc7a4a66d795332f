// What one small send costs the sender on loopback TCP, without Pace: N connected pairs, a
// writer that sends SIZE bytes to each in turn, PASSES times, and a reader process that drains
// the other ends with epoll. Prints the writer's time per send and per pass. On loopback the
// kernel runs the receiver's TCP work (and its wakeup) inside the sender's call, so this is the
// floor under a fan-out pass of one frame to N sockets.
// Usage: loopback_send N SIZE PASSES [GAP_MS]
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void drain(const int *ends, int n, long want) {
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.fd = ends[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, ends[i], &e);
    }
    static char buffer[65536];
    struct epoll_event ready[512];
    for (long total = 0; total < want;) {
        int k = epoll_wait(ep, ready, 512, 2000);
        if (k <= 0) break;
        for (int j = 0; j < k; j++) {
            long got = read(ready[j].data.fd, buffer, sizeof buffer);
            if (got > 0) total += got;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s N SIZE PASSES [GAP_MS]\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]), size = atoi(argv[2]), passes = atoi(argv[3]);
    double gap = argc > 4 ? atof(argv[4]) : 0;
    int one = 1;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (bind(listener, (void *)&address, length) || listen(listener, 4096) ||
        getsockname(listener, (void *)&address, &length)) {
        perror("listen");
        return 1;
    }
    int *readers = calloc(n, sizeof(int)), *writers = calloc(n, sizeof(int));
    for (int i = 0; i < n; i++) {
        readers[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (readers[i] < 0 || connect(readers[i], (void *)&address, length)) {
            perror("connect (raise ulimit -n?)");
            return 1;
        }
        writers[i] = accept(listener, 0, 0);
        setsockopt(writers[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    pid_t child = fork();
    if (child == 0) {
        drain(readers, n, (long)n * size * passes);
        _exit(0);
    }
    char *frame = calloc(1, size);
    double busy = 0;
    for (int p = 0; p < passes; p++) {
        double start = seconds();
        for (int i = 0; i < n; i++) {
            if (write(writers[i], frame, size) != size) {
                perror("write");
                return 1;
            }
        }
        busy += seconds() - start;
        if (gap > 0) usleep((useconds_t)(gap * 1000));
    }
    waitpid(child, 0, 0);
    printf("{\"sockets\": %d, \"bytes\": %d, \"passes\": %d, \"gap_ms\": %g, \"us_per_send\": %.2f, \"ms_per_pass\": %.2f}\n",
           n, size, passes, gap, busy / passes / n * 1e6, busy / passes * 1e3);
    return 0;
}
