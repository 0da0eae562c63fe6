/*
 * census: the reference whole-machine frame census PageAtlas' `frames` is measured against. It
 * reads /proc/kpageflags and /proc/kpagecount whole, front to back, in 1 MiB preads (131072 frames
 * per read of each file), and counts for every flag bit the frames that have it set, the frames
 * mapped at least once and the sum of map counts: the least work any census of every frame does.
 *
 *   census [repeats]   prints: frames <n> nopage <x> buddy <y> anon <z> mapped <m> mapsum <s> seconds <best>
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 131072

static uint64_t flags[CHUNK], counts[CHUNK];

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 1;
    double best = 1e9;
    uint64_t frames = 0, per_bit[64], mapped = 0, mapsum = 0;
    for (int r = 0; r < repeats; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int ff = open("/proc/kpageflags", O_RDONLY), fc = open("/proc/kpagecount", O_RDONLY);
        if (ff < 0 || fc < 0) { perror("open /proc/kpageflags or /proc/kpagecount"); return 1; }
        frames = mapped = mapsum = 0;
        for (int b = 0; b < 64; b++) per_bit[b] = 0;
        for (off_t offset = 0;; offset += sizeof flags) {
            ssize_t nf = pread(ff, flags, sizeof flags, offset);
            ssize_t nc = pread(fc, counts, sizeof counts, offset);
            if (nf <= 0) break;
            size_t n = (size_t)nf / 8, nn = nc > 0 ? (size_t)nc / 8 : 0;
            for (size_t i = 0; i < n; i++) {
                uint64_t f = flags[i];
                while (f) { per_bit[__builtin_ctzll(f)]++; f &= f - 1; }
                uint64_t c = i < nn ? counts[i] : 0;
                mapped += c != 0;
                mapsum += c;
            }
            frames += n;
        }
        close(ff);
        close(fc);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (s < best) best = s;
    }
    printf("frames %lu nopage %lu buddy %lu anon %lu mapped %lu mapsum %lu seconds %.6f\n",
           frames, per_bit[20], per_bit[10], per_bit[12], mapped, mapsum, best);
    return 0;
}
