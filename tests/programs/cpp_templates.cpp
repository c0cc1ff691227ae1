// C++ templates and lambdas: function and class templates, specialisation, variadic templates and fold expressions, constexpr, std::function holding lambdas with captures (by value, by reference, mutable, init-capture), recursion through std::function, generic lambdas.
#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

template <typename T> T maxof(T a, T b) { return a < b ? b : a; }
template <> const char *maxof<const char *>(const char *a, const char *b) { return std::string(a) < b ? b : a; }

template <typename T, int N> struct Ring {
    std::array<T, N> buf{};
    int head = 0, count = 0;
    void push(T v) { buf[(head + count) % N] = v; if (count < N) count++; else head = (head + 1) % N; }
    T sum() const { T s{}; for (int i = 0; i < count; i++) s += buf[(head + i) % N]; return s; }
};

template <typename... Ts> auto sum_all(Ts... xs) { return (xs + ... + 0); }
template <typename... Ts> void print_all(const Ts &...xs) { ((std::printf("<%s>", std::to_string(xs).c_str())), ...); std::printf("\n"); }

constexpr unsigned long long fact(unsigned n) { return n ? n * fact(n - 1) : 1; }
static_assert(fact(20) == 2432902008176640000ULL, "constexpr");

template <typename T> struct Stats;
template <> struct Stats<int> { static const char *name() { return "int"; } };
template <> struct Stats<double> { static const char *name() { return "double"; } };
template <typename T> const char *type_name(const T &) { return Stats<T>::name(); }

int main() {
    std::printf("maxof %d %.2f %s\n", maxof(3, 9), maxof(2.5, -1.0), maxof<const char *>("apple", "banana"));
    Ring<int, 4> r;
    for (int i = 1; i <= 10; i++) r.push(i * i);
    Ring<double, 3> rd;
    for (int i = 1; i <= 5; i++) rd.push(i / 4.0);
    std::printf("ring sums %d %.3f\n", r.sum(), rd.sum());
    std::printf("sum_all %d %.2f %lld\n", sum_all(1, 2, 3, 4), sum_all(1.5, 2.25), sum_all(1LL << 40, 5LL));
    print_all(1, 2.5, 42u, -7L);
    std::printf("fact(20) %llu, type names %s %s\n", fact(20), type_name(1), type_name(1.0));

    int counter = 0;
    std::vector<std::function<int(int)>> fs;
    fs.push_back([](int x) { return x * 2; });
    fs.push_back([counter](int x) { return x + counter; });
    fs.push_back([&counter](int x) { return x + ++counter; });
    fs.push_back([n = 10](int x) mutable { n += x; return n; });
    fs.push_back(std::bind(std::plus<int>(), std::placeholders::_1, 100));
    for (int round = 0; round < 3; round++) {
        std::printf("round %d:", round);
        for (auto &f : fs) std::printf(" %d", f(round + 1));
        std::printf("\n");
    }
    std::printf("counter %d\n", counter);
    std::function<long(int)> fib = [&fib](int n) -> long { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
    std::printf("fib(20) via std::function %ld\n", fib(20));
    auto generic = [](auto a, auto b) { return a + b; };
    std::printf("generic %d %.3f %s\n", generic(6, 7), generic(1.5, 0.5), generic(std::string("ab"), "cd").c_str());
    std::map<std::string, std::function<double(double, double)>> ops = {
        {"add", [](double a, double b) { return a + b; }},
        {"pow", [](double a, double b) { double r = 1; for (int i = 0; i < static_cast<int>(b); i++) r *= a; return r; }},
        {"hyp", [](double a, double b) { return a * a + b * b; }}};
    for (auto &kv : ops) std::printf("%s(3,4)=%g ", kv.first.c_str(), kv.second(3, 4));
    std::printf("\n");
    std::function<void()> empty;
    try { empty(); } catch (const std::bad_function_call &) { std::printf("bad_function_call caught\n"); }
    return 0;
}
