/*
 * sharer: processes that share memory on purpose, for the shm and file-mmap labs.
 *
 *   sharer create            makes a System V segment, a POSIX shared memory object and a memfd of
 *                            one page each, writes their first byte, and prints
 *                            "sysv ID 0xADDR", "posix NAME 0xADDR", "memfd /proc/PID/fd/N 0xADDR"
 *   sharer attach ID NAME PATH   attaches the same three (by shmid, by name, and by opening the
 *                            creator's memfd through /proc) and reads their first byte, printing
 *                            the same lines with its own addresses
 *   sharer mapfile PATH N    maps N pages of PATH shared and read-only and reads each page:
 *                            "file 0xADDR N"
 * Each prints "pid PID" first and "ready" last, then waits until its input closes; create then
 * removes the segment and the name.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define PAGE 4096UL

static void wait_for_eof(void)
{
    char buffer[256];
    while (read(0, buffer, sizeof buffer) > 0) { }
}

static char *map_shared(int fd)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    return p;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("pid %d\n", getpid());
    if (argc == 2 && !strcmp(argv[1], "create")) {
        int id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
        char *sysv = shmat(id, NULL, 0);
        if (id < 0 || sysv == (void *)-1) { perror("shm"); return 2; }
        sysv[0] = 'S';
        char name[64];
        snprintf(name, sizeof name, "/pageatlas-sharer-%d", getpid());
        int posix_fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (posix_fd < 0 || ftruncate(posix_fd, PAGE)) { perror("shm_open"); return 2; }
        char *posix = map_shared(posix_fd);
        posix[0] = 'P';
        int memfd = memfd_create("pageatlas-sharer", 0);
        if (memfd < 0 || ftruncate(memfd, PAGE)) { perror("memfd"); return 2; }
        char *mem = map_shared(memfd);
        mem[0] = 'M';
        printf("sysv %d 0x%lx\nposix %s 0x%lx\nmemfd /proc/%d/fd/%d 0x%lx\nready\n",
               id, (unsigned long)sysv, name, (unsigned long)posix, getpid(), memfd, (unsigned long)mem);
        wait_for_eof();
        shmctl(id, IPC_RMID, NULL);
        shm_unlink(name);
        return 0;
    }
    if (argc == 5 && !strcmp(argv[1], "attach")) {
        int id = atoi(argv[2]);
        volatile char *sysv = shmat(id, NULL, 0);
        int posix_fd = shm_open(argv[3], O_RDWR, 0);
        int memfd = open(argv[4], O_RDWR);
        if (sysv == (void *)-1 || posix_fd < 0 || memfd < 0) { perror("attach"); return 2; }
        volatile char *posix = map_shared(posix_fd), *mem = map_shared(memfd);
        printf("read %c%c%c\n", sysv[0], posix[0], mem[0]);
        printf("sysv %d 0x%lx\nposix %s 0x%lx\nmemfd %s 0x%lx\nready\n",
               id, (unsigned long)sysv, argv[3], (unsigned long)posix, argv[4], (unsigned long)mem);
        wait_for_eof();
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "mapfile")) {
        long pages = atol(argv[3]);
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) { perror(argv[2]); return 2; }
        volatile char *file = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
        if (file == MAP_FAILED) { perror("mmap"); return 2; }
        long sum = 0;
        for (long i = 0; i < pages; i++) sum += file[i * PAGE];
        printf("file 0x%lx %ld\nsum %ld\nready\n", (unsigned long)file, pages, sum);
        wait_for_eof();
        return 0;
    }
    fprintf(stderr, "usage: sharer create | attach ID NAME PATH | mapfile PATH PAGES\n");
    return 2;
}
