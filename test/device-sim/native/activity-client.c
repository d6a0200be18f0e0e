/*
 * /system/bin/am and /system/bin/pm of the simulated phone: sends its name and arguments
 * (NUL-terminated) to the activity service's Unix socket, then prints the reply. The reply's
 * first line is the exit status, the rest is the command's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SOCKET_PATH "/dev/socket/activity"

static int write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n <= 0) return -1;
    data += n;
    length -= (size_t)n;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/');
  name = name ? name + 1 : argv[0];

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, SOCKET_PATH, sizeof address.sun_path - 1);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    fprintf(stderr, "%s: can't find service: activity\n", name);
    return 20;
  }
  if (write_all(fd, name, strlen(name) + 1) != 0) return 20;
  for (int i = 1; i < argc; i++)
    if (write_all(fd, argv[i], strlen(argv[i]) + 1) != 0) return 20;
  shutdown(fd, SHUT_WR);

  int status = 255;
  int in_status = 1;
  char status_text[16];
  size_t status_length = 0;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    ssize_t offset = 0;
    while (in_status && offset < n) {
      char c = buffer[offset++];
      if (c == '\n') {
        status_text[status_length] = 0;
        status = atoi(status_text);
        in_status = 0;
      } else if (status_length < sizeof status_text - 1) {
        status_text[status_length++] = c;
      }
    }
    if (offset < n && write_all(STDOUT_FILENO, buffer + offset, (size_t)(n - offset)) != 0) return 1;
  }
  return status;
}
