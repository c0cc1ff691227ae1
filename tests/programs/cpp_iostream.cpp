// C++ iostream output with manipulators: setw/setfill/left/right/internal, hex/oct/dec with showbase/uppercase, fixed/scientific/hexfloat/defaultfloat with setprecision, showpos, boolalpha, and std::cerr/endl flushing; stringstream round trips.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

int main() {
    std::cout << "[" << std::setw(8) << 42 << "][" << std::left << std::setw(8) << 42 << "][" << std::right
              << std::setfill('*') << std::setw(8) << -42 << "][" << std::internal << std::setw(8) << -42 << "]"
              << std::setfill(' ') << '\n';
    std::cout << std::hex << 255 << " " << std::showbase << 255 << " " << std::uppercase << 255 << " " << std::oct << 8
              << " " << std::dec << std::noshowbase << std::nouppercase << 1234567 << '\n';
    const double vals[] = {0.0, 1.0 / 3.0, -2.5e-7, 6.02214076e23, 100.0};
    for (double v : vals) {
        std::cout << v << " | " << std::fixed << std::setprecision(3) << v << " | " << std::scientific
                  << std::setprecision(2) << v << " | " << std::hexfloat << v << " | " << std::defaultfloat
                  << std::setprecision(10) << v << std::setprecision(6) << '\n';
    }
    std::cout << std::showpos << 5 << " " << -5 << " " << 0 << std::noshowpos << " " << 7 << '\n';
    std::cout << true << " " << std::boolalpha << true << " " << false << std::noboolalpha << '\n';
    std::cout << std::showpoint << 2.0 << " " << std::noshowpoint << 2.0 << '\n';
    long long big = -9223372036854775807LL - 1;
    unsigned long long ubig = 18446744073709551615ULL;
    std::cout << big << " " << ubig << " " << static_cast<short>(-3) << " " << 'c' << " " << static_cast<int>('c') << '\n';
    std::cout << std::string("a std::string") << " " << "a C string" << std::endl;
    std::cerr << "to cerr " << 3.5 << std::endl;
    std::clog << "to clog" << '\n';

    std::ostringstream os;
    os << std::setw(5) << std::setfill('0') << 42 << ":" << std::hex << 48879 << ":" << std::fixed << std::setprecision(1) << 2.25;
    std::cout << "ostringstream [" << os.str() << "]\n";
    std::istringstream is("17 0x1f 3.75 word  next line\nsecond line");
    int a, b;
    double d;
    std::string w, rest, line2;
    is >> a >> std::hex >> b >> std::dec >> d >> w;
    std::getline(is, rest);
    std::getline(is, line2);
    std::cout << "istringstream " << a << " " << b << " " << d << " [" << w << "] [" << rest << "] [" << line2 << "]\n";
    int bad = 99;
    std::istringstream bs("notanumber");
    bs >> bad;
    std::cout << "failed extraction: fail=" << bs.fail() << " value=" << bad << '\n';
    return 0;
}
