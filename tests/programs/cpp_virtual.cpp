// C++ virtual dispatch: single and multiple inheritance, virtual inheritance (diamond), pure virtuals, covariant-free overrides, dynamic_cast and typeid, virtual destructors, calls through base pointers of each base.
#include <cstdio>
#include <memory>
#include <typeinfo>
#include <vector>

struct Shape {
    virtual ~Shape() { std::printf("~Shape\n"); }
    virtual double area() const = 0;
    virtual const char *name() const { return "shape"; }
};
struct Printable {
    virtual ~Printable() = default;
    virtual void print() const = 0;
    int tag = 7;
};
struct Rect : Shape, Printable {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    ~Rect() override { std::printf("~Rect %g\n", w); }
    double area() const override { return w * h; }
    const char *name() const override { return "rect"; }
    void print() const override { std::printf("Rect(%g x %g) tag=%d\n", w, h, tag); }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    ~Square() override { std::printf("~Square\n"); }
    const char *name() const override { return "square"; }
    void print() const override { std::printf("Square(%g)\n", w); }
};
struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    double area() const override { return 3.0 * r * r; }
};

struct Base { int b = 1; virtual int who() const { return 1; } virtual ~Base() = default; };
struct Left : virtual Base { int l = 2; int who() const override { return 2; } };
struct Right : virtual Base { int r = 3; };
struct Diamond : Left, Right { int d = 4; int who() const override { return 4 + b + l + r; } };

int main() {
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.emplace_back(new Rect(2, 3));
    shapes.emplace_back(new Square(4));
    shapes.emplace_back(new Circle(1.5));
    for (auto &s : shapes) {
        std::printf("%s area %.2f", s->name(), s->area());
        if (auto *p = dynamic_cast<Printable *>(s.get())) {
            std::printf(" printable: ");
            p->print();
        } else {
            std::printf(" not printable\n");
        }
    }
    Square sq(5);
    Printable *pp = &sq;
    Shape *ps = &sq;
    std::printf("bases at different addresses: %d, same object via cross-cast: %d\n",
                static_cast<void *>(pp) != static_cast<void *>(ps), dynamic_cast<Shape *>(pp) == ps);
    std::printf("typeid: %d %d %d\n", typeid(*ps) == typeid(Square), typeid(*ps) == typeid(Rect), typeid(*shapes[2]) == typeid(Circle));
    std::printf("dynamic_cast to unrelated: %s\n", dynamic_cast<Circle *>(ps) ? "non-null" : "null");
    Diamond dm;
    Base *bp = &dm;
    Left *lp = &dm;
    Right *rp = &dm;
    std::printf("diamond who via Base %d via Left %d via Right %d, one Base: %d\n", bp->who(), lp->who(), rp->who(),
                static_cast<Base *>(lp) == static_cast<Base *>(rp));
    std::printf("dynamic_cast Base->Diamond %d\n", dynamic_cast<Diamond *>(bp) == &dm);
    shapes.clear();
    std::printf("end of main\n");
    return 0;
}
