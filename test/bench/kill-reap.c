/*
 * kill-reap PID kill|mrelease [NICE]
 *
 * The C side of the agent-reap benchmark: the syscalls lmk's agent makes for a victim
 * (pidfd_open, pidfd_send_signal(SIGKILL), process_mrelease), in C with nothing in between, and
 * nothing else: unlike native/reference/reap-ref.c it does not poll memory itself, so the
 * benchmark measures "freed" and "exited" for this program exactly as it does for the agent.
 * Prints one JSON line: the CLOCK_MONOTONIC time right after the signal (ms, the clock of Node's
 * process.hrtime) and how long process_mrelease took. With NICE it first sets its own nice value
 * (the agent's reaper threads run at nice -20 by default).
 */
#define _GNU_SOURCE
#include <errno.h>
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

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: kill-reap PID kill|mrelease [NICE]\n");
    return 2;
  }
  if (argc == 4 && setpriority(PRIO_PROCESS, 0, atoi(argv[3])) < 0) { perror("setpriority"); return 1; }
  pid_t pid = atoi(argv[1]);
  int mrelease = strcmp(argv[2], "mrelease") == 0;
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
  printf("{\"signalAtMs\":%.3f,\"mreleaseMs\":%.3f,\"mreleaseErrno\":%d}\n", signal_at, mrelease_ms, mrelease_errno);
  close(pidfd);
  return 0;
}
