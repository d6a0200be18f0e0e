/*
 * reap-ref PID kill|mrelease USAGE_FILE THRESHOLD_BYTES TIMEOUT_MS
 *
 * The C reference for lmk's benchmark: the same raw syscalls lmk makes through koffi, with no
 * runtime in between. Opens a pidfd, SIGKILLs through it, optionally calls process_mrelease, then
 * polls a memory cgroup's usage file until it drops below THRESHOLD_BYTES. Prints one JSON line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_process_mrelease
#define __NR_process_mrelease 448
#endif

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long long read_usage(int fd) {
  char buf[64];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = 0;
  return atoll(buf);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: reap-ref PID kill|mrelease USAGE_FILE THRESHOLD_BYTES TIMEOUT_MS\n");
    return 2;
  }
  pid_t pid = atoi(argv[1]);
  int mrelease = strcmp(argv[2], "mrelease") == 0;
  long long threshold = atoll(argv[4]);
  double timeout = atof(argv[5]);
  int usage_fd = open(argv[3], O_RDONLY | O_CLOEXEC);
  if (usage_fd < 0) { perror("open usage file"); return 1; }
  int pidfd = syscall(__NR_pidfd_open, pid, 0);
  if (pidfd < 0) { perror("pidfd_open"); return 1; }

  double start = now_ms();
  if (syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0) { perror("pidfd_send_signal"); return 1; }
  double mrelease_ms = -1;
  int mrelease_errno = 0;
  if (mrelease) {
    double t = now_ms();
    if (syscall(__NR_process_mrelease, pidfd, 0) < 0) mrelease_errno = errno;
    mrelease_ms = now_ms() - t;
  }
  double freed_ms = -1;
  for (;;) {
    double t = now_ms();
    if (read_usage(usage_fd) < threshold) { freed_ms = t - start; break; }
    if (t - start > timeout) break;
  }
  printf("{\"freedMs\":%.3f,\"mreleaseMs\":%.3f,\"mreleaseErrno\":%d}\n", freed_ms, mrelease_ms, mrelease_errno);
  close(pidfd);
  return 0;
}
