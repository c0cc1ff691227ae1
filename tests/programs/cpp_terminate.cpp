// An uncaught C++ exception calls std::terminate, which prints the exception's what() to stderr and aborts: exit code 134 (SIGABRT) with stdout flushed by hand before.
// exit: 134
#include <cstdio>
#include <stdexcept>

struct Noisy {
    ~Noisy() { std::printf("destructor (may not run: unwinding is not required before terminate)\n"); }
};

static void fail(int n) {
    if (n == 0) throw std::logic_error("nobody catches this");
    fail(n - 1);
}

int main() {
    std::printf("before the throw\n");
    std::fflush(stdout);
    fail(5);
    std::printf("not reached\n");
    return 0;
}
