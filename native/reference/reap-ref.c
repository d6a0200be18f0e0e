/*
 * reap-ref [-n NICE] [-u USAGE_FILE -t THRESHOLD_BYTES -w TIMEOUT_MS] PID kill|mrelease
 *
 * The C reference for lmk's benchmark: the same raw syscalls lmk makes through koffi, with no
 * runtime in between. Opens a pidfd, SIGKILLs through it and, with "mrelease", calls
 * process_mrelease at once in the same thread. -n sets its nice first (the agent's reapers run at
 * -20). With -u it then polls a memory cgroup's usage file until it drops below the threshold
 * (or the timeout passes); without it the caller measures "freed" itself. Prints one JSON line:
 * signalAtMs (CLOCK_MONOTONIC right after the signal, the clock of Node's process.hrtime),
 * mreleaseMs, mreleaseErrno, and freedMs (signal -> below the threshold; -1 if not polled or
 * never reached).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

static int usage(void) {
  fprintf(stderr, "usage: reap-ref [-n NICE] [-u USAGE_FILE -t THRESHOLD_BYTES -w TIMEOUT_MS] PID kill|mrelease\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *usage_file = NULL;
  long long threshold = 0;
  double timeout = 0;
  int opt;
  while ((opt = getopt(argc, argv, "n:u:t:w:")) != -1) {
    switch (opt) {
      case 'n':
        if (setpriority(PRIO_PROCESS, 0, atoi(optarg)) < 0) { perror("setpriority"); return 1; }
        break;
      case 'u': usage_file = optarg; break;
      case 't': threshold = atoll(optarg); break;
      case 'w': timeout = atof(optarg); break;
      default: return usage();
    }
  }
  if (argc - optind != 2) return usage();
  pid_t pid = atoi(argv[optind]);
  int mrelease = strcmp(argv[optind + 1], "mrelease") == 0;
  int usage_fd = -1;
  if (usage_file && (usage_fd = open(usage_file, O_RDONLY | O_CLOEXEC)) < 0) { perror("open usage file"); return 1; }
  int pidfd = syscall(__NR_pidfd_open, pid, 0);
  if (pidfd < 0) { perror("pidfd_open"); return 1; }

  if (syscall(__NR_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0) { perror("pidfd_send_signal"); return 1; }
  double signal_at = now_ms(); /* after the syscall returns, as the agent takes its signalAtMs */
  double mrelease_ms = -1;
  int mrelease_errno = 0;
  if (mrelease) {
    double t = now_ms();
    if (syscall(__NR_process_mrelease, pidfd, 0) < 0) mrelease_errno = errno;
    mrelease_ms = now_ms() - t;
  }
  double freed_ms = -1;
  while (usage_fd >= 0) {
    double t = now_ms();
    if (read_usage(usage_fd) < threshold) { freed_ms = t - signal_at; break; }
    if (t - signal_at > timeout) break;
  }
  printf("{\"signalAtMs\":%.3f,\"mreleaseMs\":%.3f,\"mreleaseErrno\":%d,\"freedMs\":%.3f}\n", signal_at, mrelease_ms, mrelease_errno, freed_ms);
  close(pidfd);
  return 0;
}
