/*
 * An "app" of the simulated phone: app_process64 PACKAGE UID MIB
 *
 * Names itself after its package (comm via PR_SET_NAME, keeping the last 15 characters as Android
 * does, and the argv area so /proc/<pid>/cmdline shows the package), drops to the app's uid,
 * then allocates MIB MiB of anonymous memory and touches every page (about a quarter of each page
 * pseudo-random, the rest zero, so zram compresses it like app heaps) and prints "drawn".
 *
 * The launcher moves it between the front and the back with signals:
 *   SIGUSR1  to the front: touch every page again (swapping it back in), print "drawn", and keep
 *            touching the whole working set once a second while in front;
 *   SIGUSR2  to the back: stop touching, idle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static void name_process(int argc, char **argv, const char *package) {
  char *start = argv[0];
  char *end = argv[argc - 1] + strlen(argv[argc - 1]);
  size_t len = strlen(package);
  size_t room = (size_t)(end - start);
  memset(start, 0, room);
  memcpy(start, package, len < room ? len : room);
  const char *comm = len > 15 ? package + (len - 15) : package;
  prctl(PR_SET_NAME, comm, 0, 0, 0);
}

static uint64_t state = 88172645463325252ull;
static uint64_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static void fill(unsigned char *memory, size_t bytes) {
  for (size_t page = 0; page < bytes; page += PAGE) {
    uint64_t *words = (uint64_t *)(memory + page);
    for (size_t i = 0; i < PAGE / 4 / sizeof(uint64_t); i++) words[i] = next_random();
  }
}

/* Reads and writes one byte per page: brings swapped pages back and keeps them recently used. */
static void touch(volatile unsigned char *memory, size_t bytes) {
  for (size_t page = 0; page < bytes; page += PAGE) memory[page + PAGE - 1] = (unsigned char)(memory[page] + 1);
}

static void drawn(void) {
  if (write(STDOUT_FILENO, "drawn\n", 6) < 0 && errno == EPIPE) _exit(0);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s PACKAGE UID MIB\n", argv[0]);
    return 2;
  }
  char package[256];
  snprintf(package, sizeof package, "%s", argv[1]);
  uid_t uid = (uid_t)strtoul(argv[2], NULL, 10);
  size_t bytes = (size_t)strtoull(argv[3], NULL, 10) * 1024 * 1024;
  name_process(argc, argv, package);

  if (getuid() == 0 && uid != 0) {
    gid_t gid = uid;
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
      perror("dropping to the app uid");
      return 1;
    }
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGUSR1);
  sigaddset(&signals, SIGUSR2);
  sigprocmask(SIG_BLOCK, &signals, NULL);

  unsigned char *memory = NULL;
  if (bytes > 0) {
    memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      perror("mmap");
      return 1;
    }
    fill(memory, bytes);
  }
  drawn();

  int front = 1;
  for (;;) {
    struct timespec second = {1, 0};
    int sig = sigtimedwait(&signals, NULL, front ? &second : NULL);
    if (sig == SIGUSR1) {
      front = 1;
      if (memory) touch(memory, bytes);
      drawn();
    } else if (sig == SIGUSR2) {
      front = 0;
    } else if (sig < 0 && errno == EAGAIN && front && memory) {
      touch(memory, bytes);
    }
  }
}
