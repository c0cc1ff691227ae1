// What a program sees of its terminal, run once with stdin, stdout and stderr on a pseudo-terminal
// that is its controlling terminal, and once with none (tests/tests/terminal.rs): isatty on each
// standard stream, the terminal ioctls, and /dev/tty (which opens only with a controlling terminal).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
  printf("isatty: stdin %d, stdout %d, stderr %d\n", isatty(0), isatty(1), isatty(2));
  struct termios t;
  int r = tcgetattr(1, &t);
  printf("tcgetattr(stdout): %s\n", r == 0 ? "ok" : strerror(errno));
  struct winsize ws;
  r = ioctl(1, TIOCGWINSZ, &ws);
  printf("TIOCGWINSZ(stdout): %s\n", r == 0 ? "ok" : strerror(errno));
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
  if (fd < 0) {
    printf("open /dev/tty: %s\n", strerror(errno));
  } else {
    printf("open /dev/tty: ok, isatty %d\n", isatty(fd));
    fflush(stdout);
    if (write(fd, "written to /dev/tty\n", 20) != 20) perror("write /dev/tty");
    close(fd);
  }
  r = ioctl(3, TIOCGWINSZ, &ws);
  printf("TIOCGWINSZ(closed fd): %s\n", r == 0 ? "ok" : strerror(errno));
  int file = open("tty_check_file", O_RDWR | O_CREAT | O_TRUNC, 0644);
  printf("file: isatty %d, tcgetattr %s\n", isatty(file),
         tcgetattr(file, &t) == 0 ? "ok" : strerror(errno));
  return 0;
}
