// N-body gravity simulation (softened, all pairs) of pseudo-random bodies; prints energies.
// Built with -ffp-contract=off so every build rounds identically (no fused multiply-add).
// Usage: nbody [steps] [bodies]
// cflags: -ffp-contract=off -lm
// quick-args: 20 64
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    double x, y, z, vx, vy, vz, m;
} Body;

static uint64_t rng = 0x2545f4914f6cdd1dull;
/* A double in [-1, 1) with few significant bits, so the start state is exact everywhere. */
static double unit(void) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(int32_t)((rng >> 33) % 2048 - 1024) / 1024.0;
}

static double energy(const Body *b, int n) {
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

int main(int argc, char **argv) {
    int steps = argc > 1 ? atoi(argv[1]) : 2000;
    int n = argc > 2 ? atoi(argv[2]) : 256;
    Body *b = malloc((size_t)n * sizeof *b);
    if (!b) return 1;
    for (int i = 0; i < n; i++) {
        b[i].x = unit() * 10.0;
        b[i].y = unit() * 10.0;
        b[i].z = unit() * 10.0;
        b[i].vx = unit() * 0.5;
        b[i].vy = unit() * 0.5;
        b[i].vz = unit() * 0.5;
        b[i].m = 1.0 + (unit() + 1.0) * 4.0;
    }
    printf("energy before: %.12e\n", energy(b, n));
    const double dt = 0.001;
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < n; i++) {
            double ax = 0.0, ay = 0.0, az = 0.0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y, dz = b[j].z - b[i].z;
                double d2 = dx * dx + dy * dy + dz * dz + 0.01;
                double inv = b[j].m / (d2 * sqrt(d2));
                ax += dx * inv;
                ay += dy * inv;
                az += dz * inv;
            }
            b[i].vx += ax * dt;
            b[i].vy += ay * dt;
            b[i].vz += az * dt;
        }
        for (int i = 0; i < n; i++) {
            b[i].x += b[i].vx * dt;
            b[i].y += b[i].vy * dt;
            b[i].z += b[i].vz * dt;
        }
    }
    printf("energy after:  %.12e\n", energy(b, n));
    printf("body0: %.12e %.12e %.12e\n", b[0].x, b[0].y, b[0].z);
    free(b);
    return 0;
}
