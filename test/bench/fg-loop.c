/*
 * fg-loop CPU: a stand-in for the foreground app. Pins itself to CPU, prints "ready", then spins:
 * each iteration reads CLOCK_MONOTONIC and counts. Per 10 ms slot it keeps the iterations done
 * and the longest gap between two consecutive iterations (how long it was off the CPU). On
 * SIGTERM it prints one line per slot, "START_MS ITERATIONS MAX_GAP_US", and exits. START_MS is
 * CLOCK_MONOTONIC in ms, the clock of Node's process.hrtime.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLOT_NS 10000000LL
#define MAX_SLOTS (30 * 60 * 100) /* 30 minutes */

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: fg-loop CPU\n");
    return 2;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(atoi(argv[1]), &set);
  if (sched_setaffinity(0, sizeof set, &set) < 0) { perror("sched_setaffinity"); return 1; }
  signal(SIGTERM, on_term);
  static long long iterations[MAX_SLOTS];
  static long long max_gap[MAX_SLOTS];
  long long start = now_ns();
  long long last = start;
  long slot = 0;
  printf("ready\n");
  fflush(stdout);
  while (!stop) {
    long long t = now_ns();
    long s = (long)((t - start) / SLOT_NS);
    if (s >= MAX_SLOTS) break;
    if (s > slot) slot = s;
    long long gap = t - last;
    /* a gap that spans slots is charged to the slot where it ends */
    if (gap > max_gap[s]) max_gap[s] = gap;
    iterations[s]++;
    last = t;
  }
  for (long s = 0; s <= slot; s++) printf("%.3f %lld %lld\n", (start + s * SLOT_NS) / 1e6, iterations[s], max_gap[s] / 1000);
  return 0;
}
