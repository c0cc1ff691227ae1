// Who the process is and what machine it runs on: pids and ids, groups, process group and session, priority, uname, sysinfo, resource limits, prctl name, umask, CPU affinity and scheduling, getrandom, and the auxiliary vector. Ids, pids and machine sizes differ between qemu and a Wasm runtime, so only their properties are printed.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#define BAD_PTR ((void *)16)

static const char *err(long rc) { return rc >= 0 ? "ok" : strerrorname_np(errno); }

#define SHOW(what, call) do { errno = 0; long rc_ = (long)(call); printf("%-40s %ld %s\n", what, rc_ < 0 ? -1L : rc_, err(rc_)); } while (0)

int main(int argc, char **argv) {
    (void)argc;
    pid_t pid = getpid();
    printf("pid > 0: %d\n", pid > 0);
    printf("gettid == getpid: %d\n", (pid_t)syscall(SYS_gettid) == pid);
    printf("getppid > 0 and != pid: %d\n", getppid() > 0 && getppid() != pid);
    printf("uid == euid: %d, gid == egid: %d\n", getuid() == geteuid(), getgid() == getegid());
    uid_t r, e, s;
    SHOW("getresuid", getresuid(&r, &e, &s));
    printf("  all equal getuid: %d\n", r == getuid() && e == getuid() && s == getuid());
    gid_t gr, ge, gs;
    SHOW("getresgid", getresgid(&gr, &ge, &gs));
    printf("  all equal getgid: %d\n", gr == getgid() && ge == getgid() && gs == getgid());
    SHOW("getresuid bad pointer", getresuid(BAD_PTR, &e, &s));
    int ngroups = getgroups(0, NULL);
    printf("getgroups(0) >= 0: %d\n", ngroups >= 0);
    gid_t groups[64];
    printf("getgroups fills the same count: %d\n", getgroups(64, groups) == ngroups);
    SHOW("getgroups negative size", getgroups(-1, groups));
    SHOW("setuid(getuid())", setuid(getuid()));
    SHOW("setgid(getgid())", setgid(getgid()));
    SHOW("setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
    /* Group and session ids are 0 when their leader lives outside our pid
       namespace (CI containers), so only success is host-independent. */
    SHOW("getpgid(0) >= 0", getpgid(0) >= 0);
    SHOW("getpgid(self) == getpgid(0)", getpgid(pid) == getpgid(0));
    SHOW("getsid(0) >= 0", getsid(0) >= 0);
    SHOW("getpgid(nonexistent)", getpgid(0x3ffffff0));
    SHOW("kill(nonexistent, 0)", kill(0x3ffffff0, 0));
    SHOW("kill(self, 0)", kill(pid, 0));
    SHOW("kill(self, 999)", kill(pid, 999));
    errno = 0;
    int prio = getpriority(PRIO_PROCESS, 0);
    printf("getpriority %d errno %s\n", prio, errno ? strerrorname_np(errno) : "0");
    SHOW("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    printf("getpriority now %d\n", getpriority(PRIO_PROCESS, 0));
    SHOW("setpriority bad which", setpriority(9, 0, 5));
    SHOW("getpriority other process", getpriority(PRIO_PROCESS, 0x3ffffff0));

    struct utsname u;
    SHOW("uname", uname(&u));
    printf("  sysname %s, machine %s\n", u.sysname, u.machine);
    printf("  release starts with a digit %d, nodename set %d\n", u.release[0] >= '0' && u.release[0] <= '9', u.nodename[0] != 0);
    SHOW("uname bad pointer", uname(BAD_PTR));

    struct sysinfo si;
    SHOW("sysinfo", sysinfo(&si));
    printf("  totalram > 0 %d, freeram <= totalram %d, procs >= 1 %d, mem_unit >= 1 %d\n", si.totalram > 0, si.freeram <= si.totalram, si.procs >= 1, si.mem_unit >= 1);
    SHOW("sysinfo bad pointer", sysinfo(BAD_PTR));
    printf("sysconf(_SC_NPROCESSORS_ONLN) >= 1: %d\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    printf("sysconf(_SC_PHYS_PAGES) > 0: %d\n", sysconf(_SC_PHYS_PAGES) > 0);

    struct rlimit rl, old;
    SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &old));
    printf("  cur > 0 %d, cur <= max %d\n", old.rlim_cur > 0, old.rlim_cur <= old.rlim_max);
    rl.rlim_cur = 64;
    rl.rlim_max = old.rlim_max;
    SHOW("setrlimit NOFILE 64", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("  reads back %llu\n", (unsigned long long)rl.rlim_cur);
    setrlimit(RLIMIT_NOFILE, &old);
    rl.rlim_cur = 10;
    rl.rlim_max = 5;
    SHOW("setrlimit cur > max", setrlimit(RLIMIT_NOFILE, &rl));
    SHOW("getrlimit bad resource", getrlimit(99, &rl));
    SHOW("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl));
    printf("  stack cur > 0 %d\n", rl.rlim_cur > 0);
    struct rlimit64 r64;
    SHOW("prlimit64 self", prlimit64(0, RLIMIT_CORE, NULL, &r64));
    SHOW("prlimit64 other process", prlimit64(0x3ffffff0, RLIMIT_CORE, NULL, &r64));

    char name[32] = {0};
    SHOW("prctl PR_SET_NAME", prctl(PR_SET_NAME, "a-very-long-thread-name", 0, 0, 0));
    SHOW("prctl PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("  name \"%s\"\n", name);
    SHOW("prctl bad option", prctl(9999, 0, 0, 0, 0));

    umask(022); /* whatever the mask was when the test started */
    SHOW("umask(027) returns the old mask", umask(027) == 022);
    SHOW("umask(022) returns 027", umask(022));

    cpu_set_t set;
    SHOW("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    printf("  cpus >= 1 %d, cpu 0 set %d\n", CPU_COUNT(&set) >= 1, CPU_ISSET(0, &set));
    SHOW("sched_getaffinity other process", sched_getaffinity(0x3ffffff0, sizeof set, &set));
    SHOW("sched_yield", sched_yield());
    SHOW("sched_getscheduler", sched_getscheduler(0));
    SHOW("sched_get_priority_max FIFO", sched_get_priority_max(SCHED_FIFO));
    SHOW("sched_get_priority_min OTHER", sched_get_priority_min(SCHED_OTHER));
    SHOW("sched_get_priority_max bad policy", sched_get_priority_max(77));
    struct sched_param sp;
    SHOW("sched_getparam", sched_getparam(0, &sp));
    printf("  priority %d\n", sp.sched_priority);
    unsigned cpu = 99;
    SHOW("getcpu", getcpu(&cpu, NULL));
    printf("  cpu is in the affinity mask %d\n", CPU_ISSET(cpu, &set));

    unsigned char rnd[32] = {0};
    SHOW("getrandom 32", getrandom(rnd, sizeof rnd, 0));
    int nonzero = 0;
    for (int i = 0; i < 32; i++) nonzero |= rnd[i];
    printf("  not all zero %d\n", nonzero != 0);
    SHOW("getrandom GRND_NONBLOCK", getrandom(rnd, 8, GRND_NONBLOCK));
    SHOW("getrandom bad flags", getrandom(rnd, 8, 0x40));
    SHOW("getrandom bad pointer", getrandom(BAD_PTR, 8, 0));

    /* The auxiliary vector glibc started from. */
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    unsigned long hwcap = getauxval(AT_HWCAP);
    int imafdc = 1;
    for (const char *c = "IMAFDC"; *c; c++) imafdc &= (hwcap >> (*c - 'A')) & 1;
    printf("AT_HWCAP has I, M, A, F, D, C: %d\n", imafdc);
    printf("AT_CLKTCK %lu\n", getauxval(AT_CLKTCK));
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("AT_UID == getuid %d, AT_EGID == getegid %d\n", getauxval(AT_UID) == getuid(), getauxval(AT_EGID) == getegid());
    extern char _start[];
    printf("AT_ENTRY == _start %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    printf("AT_PHNUM > 0 %d, AT_PHENT %lu\n", getauxval(AT_PHNUM) > 0, getauxval(AT_PHENT));
    const unsigned char *random16 = (const unsigned char *)getauxval(AT_RANDOM);
    int rz = 0;
    for (int i = 0; random16 && i < 16; i++) rz |= random16[i];
    printf("AT_RANDOM points at random bytes %d\n", random16 != NULL && rz != 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    printf("AT_EXECFN ends with the program name %d\n", execfn && strlen(execfn) >= strlen(base) && strcmp(execfn + strlen(execfn) - strlen(base), base) == 0);
    errno = 0;
    getauxval(12345);
    printf("getauxval(unknown) errno %s\n", strerrorname_np(errno));
    return 0;
}
