// C++ standard containers and algorithms: vector, string, map, unordered_map (printed sorted), set, deque, list, sort/stable_sort/unique/lower_bound/accumulate, and std::string operations.
#include <algorithm>
#include <deque>
#include <iostream>
#include <list>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

int main() {
    std::vector<int> v;
    unsigned s = 7;
    for (int i = 0; i < 5000; i++) { s = s * 1103515245u + 12345u; v.push_back(static_cast<int>((s >> 16) % 1000)); }
    std::vector<int> w = v;
    std::sort(w.begin(), w.end());
    auto last = std::unique(w.begin(), w.end());
    std::cout << "distinct " << (last - w.begin()) << " min " << w.front() << " max " << *(last - 1) << '\n';
    w.erase(last, w.end());
    std::cout << "lower_bound(500) at " << (std::lower_bound(w.begin(), w.end(), 500) - w.begin()) << '\n';
    std::cout << "sum " << std::accumulate(v.begin(), v.end(), 0LL) << " count(7) " << std::count(v.begin(), v.end(), 7) << '\n';
    std::vector<std::pair<int, std::string>> pairs = {{3, "c"}, {1, "a"}, {3, "a"}, {2, "z"}, {1, "b"}, {3, "b"}};
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
    for (auto &p : pairs) std::cout << p.first << p.second << ' ';
    std::cout << '\n';
    v.resize(10);
    v.insert(v.begin() + 3, 3, -1);
    v.erase(v.begin());
    std::reverse(v.begin(), v.end());
    for (int x : v) std::cout << x << ' ';
    std::cout << "cap>=size " << (v.capacity() >= v.size()) << '\n';

    std::string text = "the quick brown fox jumps over the lazy dog the end";
    std::map<std::string, int> freq;
    std::unordered_map<std::string, int> ufreq;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t sp = text.find(' ', pos);
        if (sp == std::string::npos) sp = text.size();
        std::string word = text.substr(pos, sp - pos);
        freq[word]++;
        ufreq[word] += 2;
        pos = sp + 1;
    }
    for (auto &kv : freq) std::cout << kv.first << '=' << kv.second << ' ';
    std::cout << '\n';
    std::vector<std::pair<std::string, int>> sorted(ufreq.begin(), ufreq.end());
    std::sort(sorted.begin(), sorted.end());
    for (auto &kv : sorted) std::cout << kv.first << ':' << kv.second << ' ';
    std::cout << "size " << ufreq.size() << '\n';
    std::unordered_map<int, int> big;
    for (int i = 0; i < 30000; i++) big[i * 7919 % 100003] = i;
    long long chk = 0;
    for (int i = 0; i < 100003; i += 101) { auto it = big.find(i); chk += it == big.end() ? -1 : it->second; }
    std::cout << "unordered_map size " << big.size() << " check " << chk << '\n';

    std::set<int> st(v.begin(), v.end());
    std::cout << "set:";
    for (int x : st) std::cout << ' ' << x;
    std::cout << '\n';
    std::deque<int> dq;
    for (int i = 0; i < 10; i++) { if (i % 2) dq.push_front(i); else dq.push_back(i); }
    dq.pop_front();
    std::cout << "deque:";
    for (int x : dq) std::cout << ' ' << x;
    std::list<int> lst = {5, 3, 9, 1, 7};
    lst.sort();
    lst.remove(9);
    lst.push_front(0);
    std::cout << " list:";
    for (int x : lst) std::cout << ' ' << x;
    std::cout << '\n';

    std::string str = "Hello";
    str += ", World";
    str.insert(5, "!!!");
    str.replace(0, 1, "J");
    std::string up = str;
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::cout << str << " | " << up << " | find(World)=" << str.find("World") << " rfind(l)=" << str.rfind('l')
              << " compare=" << (str.compare("Jello") > 0) << " to_string=" << std::to_string(-12.5) << " stoi="
              << std::stoi("  -77xyz") << '\n';
    std::string longs(1000, 'x');
    longs += std::string(500, 'y');
    std::cout << "long string " << longs.size() << " " << longs.substr(995, 10) << '\n';
    return 0;
}
