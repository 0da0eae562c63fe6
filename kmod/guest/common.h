/* What the guest's check programs share: failing loudly, the companion, a process's maps and pagemap. */
#ifndef KMOD_GUEST_COMMON_H
#define KMOD_GUEST_COMMON_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../pageatlas.h"

#define PAGE 4096UL
#define PM_PFN_MASK ((UINT64_C(1) << 55) - 1)
#define PM_SWAP (UINT64_C(1) << 62)
#define PM_PRESENT (UINT64_C(1) << 63)

static const char *const level_names[PAGEATLAS_LEVELS] = { "pgd", "p4d", "pud", "pmd", "pte" };

static int failures;

/* One failed expectation: reported, counted, and the program goes on to find the others. */
static inline void fail(const char *format, ...)
{
    va_list args;
    /* the first 20 say what differs; more would only flood the serial console */
    if (failures < 20) {
        va_start(args, format);
        printf("MISMATCH ");
        vprintf(format, args);
        printf("\n");
        va_end(args);
    } else if (failures == 20) {
        printf("MISMATCH … (further differences not shown)\n");
    }
    failures++;
}

static inline void die(const char *what)
{
    perror(what);
    exit(2);
}

static inline int open_companion(void)
{
    int fd = open(PAGEATLAS_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd < 0) die(PAGEATLAS_DEVICE);
    return fd;
}

static inline struct pageatlas_info companion_info(int fd)
{
    struct pageatlas_info info;
    if (ioctl(fd, PAGEATLAS_IOC_INFO, &info) != 0) die("PAGEATLAS_IOC_INFO");
    return info;
}

/* The module's walk of one address; errno-style result (0 or the errno). */
static inline int companion_walk(int fd, int pid, uint64_t vaddr, struct pageatlas_walk *walk)
{
    memset(walk, 0, sizeof *walk);
    walk->abi_version = PAGEATLAS_ABI_VERSION;
    walk->pid = pid;
    walk->vaddr = vaddr;
    return ioctl(fd, PAGEATLAS_IOC_WALK, walk) == 0 ? 0 : errno;
}

struct vma { uint64_t start, end; char perms[5]; char path[256]; };

/* Every VMA of pid below user_end (so not [vsyscall]); returns the count. */
static inline int read_maps(int pid, uint64_t user_end, struct vma *vmas, int capacity)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    if (!maps) die(path);
    int count = 0;
    while (fgets(line, sizeof line, maps) && count < capacity) {
        struct vma v = { 0 };
        int offset = 0;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %*s %*s %*s %n", &v.start, &v.end, v.perms, &offset) < 3) continue;
        if (v.start >= user_end) continue;
        snprintf(v.path, sizeof v.path, "%s", line + offset);
        v.path[strcspn(v.path, "\n")] = 0;
        vmas[count++] = v;
    }
    fclose(maps);
    return count;
}

/* pagemap entries of [start, end) of pid, malloc'd. */
static uint64_t *read_pagemap(int pid, uint64_t start, uint64_t end)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path);
    size_t pages = (end - start) / PAGE;
    uint64_t *entries = calloc(pages, sizeof *entries);
    if (!entries) die("calloc");
    size_t bytes = pages * sizeof *entries;
    if (pread(fd, entries, bytes, (off_t)(start / PAGE * sizeof *entries)) != (ssize_t)bytes) die("pread pagemap");
    close(fd);
    return entries;
}

/* /proc/kpageflags of one frame. */
static inline uint64_t page_flags(uint64_t pfn)
{
    uint64_t flags = 0;
    int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || pread(fd, &flags, sizeof flags, (off_t)(pfn * sizeof flags)) != sizeof flags) die("/proc/kpageflags");
    close(fd);
    return flags;
}

static inline uint64_t parse_number(const char *text)
{
    char *end;
    errno = 0;
    uint64_t value = strtoull(text, &end, 0);
    if (errno || *end) { fprintf(stderr, "not a number: %s\n", text); exit(2); }
    return value;
}

#endif
