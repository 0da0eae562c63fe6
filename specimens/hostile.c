/*
 * hostile: a process built to break a tool that trusts what it reads about it (issue 12, items 5-7).
 * Usage: hostile DIR [all|fifo|elf] (DIR an empty directory it may fill). With "all" (the default) it
 *   - re-executes itself with an argv[0] holding ESC sequences, CR, LF and a bidi override, then
 *     names itself (prctl PR_SET_NAME, 15 bytes) "\e[2J\r\nFAKE" U+202E U+009B, and names a second
 *     thread "\e]0;pwn\a\r\n" so that /proc/PID/stat and task/TID/comm carry raw control bytes;
 *   - maps DIR/fifo (not ELF), deletes it and creates a FIFO at the same path: anything that opens
 *     the path from /proc/PID/maps by name blocks forever;
 *   - maps DIR/link the same way and puts a symbolic link to the FIFO at its path;
 *   - maps DIR/crafted.elf, an ELF header with e_phoff = 0xFFFFFFFFFFFFFFC0 and e_phnum = 2
 *     (phoff + size wraps past 2^64), and DIR/absurd.elf, whose two PT_LOAD headers have offsets,
 *     addresses and sizes near 2^64;
 *   - maps files whose names hold invalid UTF-8, a newline and a " (deleted)" lookalike, ESC and
 *     OSC sequences with CR and bidi overrides, and a literal backslash followed by "012" (what
 *     /proc/PID/maps prints for a newline).
 * Every mapping is private, read-only and touched, so each has a present page with a frame.
 * With "fifo" it only maps DIR/fifo and DIR/link as above, and with "elf" only the two crafted ELF
 * files, so that each defect can be shown on its own, under a plain name.
 * Prints "pid PID", "NAME 0xADDR 0" for each mapping (fifo, link, crafted, absurd, odd, escape,
 * backslash) and for "comm-text" (its name as a C string in its own memory, for peek --as string),
 * and "ready", then waits until its standard input closes, and removes what it created (names that
 * are not UTF-8 are awkward to remove from anything that decodes them).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

/* Every path created, to remove at the end. */
static char *created[16];
static int created_count;

static const char hostile_argv0[] = "\x1b[31mroot-shell\r\n\xe2\x80\xae" "evil";
static const char hostile_comm[] = "\x1b[2J\r\nFAKE\xe2\x80\xae\xc2\x9b";
static const char hostile_thread[] = "\x1b]0;pwn\a\r\n";

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, sizeof v); }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, sizeof v); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, sizeof v); }

/* An Elf64_Ehdr for x86-64 with the given program header table; the rest of the page is zero. */
static void elf_header(unsigned char *page, uint64_t phoff, uint16_t phnum)
{
    memcpy(page, "\x7f" "ELF", 4);
    page[4] = 2;               /* ELFCLASS64 */
    page[5] = 1;               /* ELFDATA2LSB */
    page[6] = 1;               /* EV_CURRENT */
    put16(page + 0x10, 3);     /* e_type ET_DYN */
    put16(page + 0x12, 62);    /* e_machine EM_X86_64 */
    put32(page + 0x14, 1);     /* e_version */
    put64(page + 0x20, phoff); /* e_phoff */
    put16(page + 0x34, 64);    /* e_ehsize */
    put16(page + 0x36, 56);    /* e_phentsize */
    put16(page + 0x38, phnum); /* e_phnum */
}

/* A PT_LOAD program header at page + at. */
static void load_header(unsigned char *page, size_t at, uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    put32(page + at, 1); /* PT_LOAD */
    put32(page + at + 4, flags);
    put64(page + at + 8, offset);
    put64(page + at + 16, vaddr);
    put64(page + at + 24, vaddr);
    put64(page + at + 32, filesz);
    put64(page + at + 40, memsz);
    put64(page + at + 48, PAGE);
}

/*
 * Writes two pages to DIR/name, maps them private with PROT (read-only, or also executable where
 * PageAtlas must try to read the file's ELF headers: it reads only files mapped executable, as the
 * code of every loaded object is), touches them; returns the address.
 */
static char *map_file(const char *dir, const char *name, const unsigned char *first_page, int prot, char **path_out)
{
    char *path;
    if (asprintf(&path, "%s/%s", dir, name) < 0) die("asprintf");
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) die(path);
    unsigned char pages[2 * PAGE];
    memset(pages, 'x', sizeof pages);
    if (first_page) memcpy(pages, first_page, PAGE);
    if (write(fd, pages, sizeof pages) != (ssize_t)sizeof pages) die("write");
    char *area = mmap(NULL, 2 * PAGE, prot, MAP_PRIVATE, fd, 0);
    if (area == MAP_FAILED) die("mmap");
    close(fd);
    volatile char sink = area[0] + area[PAGE];
    (void)sink;
    created[created_count++] = path;
    if (path_out) *path_out = path;
    return area;
}

static void report(const char *name, const void *address)
{
    printf("%s %p 0\n", name, address);
}

/* Set once the thread has its name: main waits for it before reporting, so a test never reads the
 * thread's comm before the thread has run (a loaded machine may start it late). */
static int thread_named;

static void *named_thread(void *unused)
{
    (void)unused;
    prctl(PR_SET_NAME, hostile_thread);
    __atomic_store_n(&thread_named, 1, __ATOMIC_RELEASE);
    for (;;) pause();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hostile DIR [all|fifo|elf]\n");
        return 2;
    }
    const char *dir = argv[1], *mode = argc > 2 ? argv[2] : "all";
    int all = !strcmp(mode, "all"), fifos = all || !strcmp(mode, "fifo"), elves = all || !strcmp(mode, "elf");
    /* Run again under a hostile argv[0], which /proc/PID/cmdline shows as it is. */
    if (all && strcmp(argv[0], hostile_argv0) != 0) {
        char *again[] = { (char *)hostile_argv0, argv[1], NULL };
        execv("/proc/self/exe", again);
        die("execv");
    }
    printf("pid %d\n", (int)getpid());
    if (all) {
        prctl(PR_SET_NAME, hostile_comm);
        pthread_t thread;
        if (pthread_create(&thread, NULL, named_thread, NULL) != 0) die("pthread_create");
        while (!__atomic_load_n(&thread_named, __ATOMIC_ACQUIRE)) usleep(1000);
        report("comm-text", hostile_comm);
    }
    if (fifos) {
        char *fifo_path, *link_path;
        report("fifo", map_file(dir, "fifo", NULL, PROT_READ | PROT_EXEC, &fifo_path));
        if (unlink(fifo_path) < 0 || mkfifo(fifo_path, 0666) < 0) die("mkfifo");
        report("link", map_file(dir, "link", NULL, PROT_READ | PROT_EXEC, &link_path));
        if (unlink(link_path) < 0 || symlink(fifo_path, link_path) < 0) die("symlink");
    }
    if (elves) {
        unsigned char elf[PAGE];
        memset(elf, 0, sizeof elf);
        elf_header(elf, 0xFFFFFFFFFFFFFFC0ull, 2);
        report("crafted", map_file(dir, "crafted.elf", elf, PROT_READ | PROT_EXEC, NULL));

        memset(elf, 0, sizeof elf);
        elf_header(elf, 64, 2);
        load_header(elf, 64, 5, 0xFFFFFFFFFFFFF000ull, 0xFFFFFFFFFFFFE000ull, 0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull);
        load_header(elf, 120, 6, 0, 0x7FFFFFFFFFFFF000ull, 0x10, 0xFFFFFFFFFFFFFFF0ull);
        report("absurd", map_file(dir, "absurd.elf", elf, PROT_READ | PROT_EXEC, NULL));
    }
    if (all) {
        report("odd", map_file(dir, "odd\xff\xfe\nname (deleted)", NULL, PROT_READ, NULL));
        report("escape", map_file(dir, "esc\x1b[2J\x1b]0;owned\a\r\xe2\x80\xae\xc2\x85.bin", NULL, PROT_READ, NULL));
        report("backslash", map_file(dir, "lit\\012eral", NULL, PROT_READ, NULL));
    }
    printf("ready\n");
    fflush(stdout);
    char buffer[256];
    while (read(0, buffer, sizeof buffer) > 0) {
    }
    for (int i = 0; i < created_count; i++) unlink(created[i]);
    return 0;
}
