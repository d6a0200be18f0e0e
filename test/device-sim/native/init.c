/*
 * PID 1 of the simulated phone's PID namespace: init COMMAND [ARG...]
 *
 * Shows itself as "/init" (comm "init"), runs COMMAND as its child, forwards SIGTERM, SIGINT
 * and SIGHUP to it, reaps every orphan the phone's processes leave behind, and exits with the
 * child's status once the child is gone. When it exits the kernel kills whatever is left in
 * the namespace, so nothing the phone started can outlive it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child = -1;

static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: init COMMAND [ARG...]\n");
    return 2;
  }
  child = fork();
  if (child < 0) {
    perror("fork");
    return 1;
  }
  if (child == 0) {
    execvp(argv[1], argv + 1);
    perror(argv[1]);
    _exit(127);
  }
  /* Rename only after forking: the child's exec needs its argv intact. */
  char *end = argv[argc - 1] + strlen(argv[argc - 1]);
  memset(argv[0], 0, (size_t)(end - argv[0]));
  strcpy(argv[0], "/init");
  prctl(PR_SET_NAME, "init", 0, 0, 0);

  struct sigaction action = {0};
  action.sa_handler = forward;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGHUP, &action, NULL);

  for (;;) {
    int status;
    pid_t pid = wait(&status);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (pid == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
}
