// C++ exceptions: throw/catch through several frames, catch by base class, rethrow with `throw;`, catch(...), custom exception classes with data, nested try blocks, std::exception_ptr, noexcept queries, standard exceptions from the library (out_of_range, bad_alloc, invalid_argument).
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

struct AppError : std::runtime_error {
    int code;
    AppError(const std::string &msg, int c) : std::runtime_error(msg), code(c) {}
};
struct ParseError : AppError {
    int line;
    ParseError(int l) : AppError("parse error at line " + std::to_string(l), 2), line(l) {}
};

static int depth_thrower(int depth, int kind) {
    if (depth == 0) {
        switch (kind) {
        case 0: throw 42;
        case 1: throw std::string("a string");
        case 2: throw ParseError(17);
        case 3: throw AppError("app", 9);
        case 4: throw 3.5;
        default: return 1;
        }
    }
    volatile int pad[8] = {depth};
    return depth_thrower(depth - 1, kind) + pad[0];
}

static void rethrower(int kind) {
    try {
        depth_thrower(5, kind);
    } catch (const AppError &e) {
        std::printf("  rethrower saw AppError code=%d, rethrowing\n", e.code);
        throw;
    } catch (...) {
        std::printf("  rethrower saw something else, rethrowing\n");
        throw;
    }
}

static int noexcept_fn() noexcept { return 1; }
static int may_throw() { return 2; }

int main() {
    for (int kind = 0; kind <= 5; kind++) {
        try {
            int r = depth_thrower(10, kind);
            std::printf("kind %d: no exception, r=%d\n", kind, r);
        } catch (int v) {
            std::printf("kind %d: caught int %d\n", kind, v);
        } catch (const std::string &s) {
            std::printf("kind %d: caught string [%s]\n", kind, s.c_str());
        } catch (const ParseError &e) {
            std::printf("kind %d: caught ParseError line=%d code=%d what=[%s]\n", kind, e.line, e.code, e.what());
        } catch (const std::exception &e) {
            std::printf("kind %d: caught std::exception [%s]\n", kind, e.what());
        } catch (...) {
            std::printf("kind %d: caught (...)\n", kind);
        }
    }
    for (int kind : {2, 0}) {
        try {
            rethrower(kind);
        } catch (const ParseError &e) {
            std::printf("main caught rethrown ParseError line %d\n", e.line);
        } catch (int v) {
            std::printf("main caught rethrown int %d\n", v);
        }
    }
    try {
        try {
            throw std::out_of_range("inner");
        } catch (const std::logic_error &e) {
            std::printf("inner caught logic_error [%s]\n", e.what());
            throw std::runtime_error(std::string("outer from ") + e.what());
        }
    } catch (const std::runtime_error &e) {
        std::printf("outer caught [%s]\n", e.what());
    }
    std::exception_ptr saved;
    try { throw AppError("stored", 5); } catch (...) { saved = std::current_exception(); }
    try { std::rethrow_exception(saved); } catch (const AppError &e) { std::printf("exception_ptr rethrown: %s %d\n", e.what(), e.code); }
    std::vector<int> v(3);
    try { v.at(10) = 1; } catch (const std::out_of_range &e) { std::printf("vector::at threw out_of_range\n"); }
    try { (void)std::stoi("zzz"); } catch (const std::invalid_argument &) { std::printf("stoi threw invalid_argument\n"); }
    try {
        std::vector<char> huge(static_cast<size_t>(1) << 62);
        std::printf("huge allocation succeeded?\n");
    } catch (const std::bad_alloc &) {
        std::printf("bad_alloc caught\n");
    } catch (const std::length_error &) {
        std::printf("length_error caught\n");
    }
    std::printf("noexcept: %d %d\n", noexcept(noexcept_fn()), noexcept(may_throw()));
    int caught = 0;
    for (int i = 0; i < 2000; i++) {
        try { if (i % 3 == 0) throw i; } catch (int x) { caught += x % 7; }
    }
    std::printf("loop of throws: %d\n", caught);
    std::printf("uncaught_exceptions now %d\n", std::uncaught_exceptions());
    return 0;
}
