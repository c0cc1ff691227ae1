// C++ exceptions and RAII: destructors run during unwinding in reverse order, across frames and in arrays and containers; function-try-blocks in constructors; a destructor that catches internally; unique_ptr/shared_ptr cleanup; std::uncaught_exceptions inside destructors.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

static int live = 0;

struct Guard {
    int id;
    explicit Guard(int i) : id(i) { live++; std::printf("  +Guard %d\n", id); }
    ~Guard() { live--; std::printf("  -Guard %d (unwinding=%d)\n", id, std::uncaught_exceptions()); }
};

struct Thrower {
    Guard g1{100}, g2{101};
    explicit Thrower(bool fail) { if (fail) throw std::runtime_error("ctor failed"); }
};

struct Member {
    explicit Member(int v) { if (v < 0) throw std::invalid_argument("negative"); }
};
struct Holder {
    Member m;
    explicit Holder(int v) try : m(v) {
        std::printf("  Holder ok\n");
    } catch (const std::invalid_argument &e) {
        std::printf("  Holder function-try-block caught [%s], rethrows implicitly\n", e.what());
    }
};

struct Careful {
    ~Careful() {
        try { throw 1; } catch (int) { std::printf("  Careful destructor caught its own exception\n"); }
    }
};

static void level3(int n) {
    Guard g(n * 10 + 3);
    if (n == 2) throw std::runtime_error("from level3");
}
static void level2(int n) {
    Guard g(n * 10 + 2);
    Careful c;
    level3(n);
    std::printf("  level2 end %d\n", n);
}
static void level1(int n) {
    Guard a(n * 10 + 1);
    std::unique_ptr<Guard> up(new Guard(n * 10 + 9));
    auto sp = std::make_shared<Guard>(n * 10 + 8);
    level2(n);
}

int main() {
    for (int n = 1; n <= 2; n++) {
        std::printf("run %d\n", n);
        try { level1(n); } catch (const std::exception &e) { std::printf("caught [%s], live=%d\n", e.what(), live); }
    }
    std::printf("arrays\n");
    try {
        Guard arr[3] = {Guard(1), Guard(2), Guard(3)};
        std::vector<Guard> vec;
        vec.reserve(4);
        vec.emplace_back(4);
        vec.emplace_back(5);
        throw 7;
    } catch (int x) {
        std::printf("caught %d, live=%d\n", x, live);
    }
    std::printf("constructor failure\n");
    try { Thrower t(true); } catch (const std::runtime_error &e) { std::printf("caught [%s], live=%d\n", e.what(), live); }
    try { Thrower t(false); std::printf("  constructed\n"); } catch (...) {}
    std::printf("function-try-block\n");
    try { Holder h(-1); } catch (const std::invalid_argument &e) { std::printf("main caught [%s]\n", e.what()); }
    Holder ok(1);
    std::printf("final live=%d\n", live);
    return 0;
}
