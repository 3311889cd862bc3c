/*  sandbox — what a process decoding one untrusted document may do.

    Each document is decoded in a child forked for it alone, so whatever
    a hostile document does to the decoder, it does once, to a process
    that then ends. The child gets:

    - resource limits: processor time (SIGXCPU at the soft limit, SIGKILL
      a second later), address space (not under AddressSanitizer, whose
      shadow memory is terabytes of reserved address space), no core files,
      few descriptors;
    - a seccomp filter refusing what decoding never needs: network
      sockets, running programs, new processes, signalling other
      processes, opening files for writing and changing the file system.
      It reads its bytes from memory and writes its answer to the pipe it
      was given. This is a second wall behind the limits, not a complete
      list: anything not listed is allowed.

    Under AddressSanitizer the filter lets LeakSanitizer work at exit (it
    stops the world with clone and ptrace).
*/

#include "ingest.h"
#include "ow_log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined (__SANITIZE_ADDRESS__)
#   define UNDER_ASAN 1
#elif defined (__has_feature)
#   if __has_feature (address_sanitizer)
#       define UNDER_ASAN 1
#   endif
#endif
#ifndef UNDER_ASAN
#   define UNDER_ASAN 0
#endif

#if defined (__x86_64__)
#   define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined (__aarch64__)
#   define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#endif

#define MAX_DESCRIPTORS 64
#define MAX_PROGRAM     128

void
ingest_sandbox_prepare (void)
{
    //  A worker dies with ingest, and none of its children can gain
    //  privileges (which also lets them install a filter without root).
    prctl (PR_SET_PDEATHSIG, SIGKILL);
    prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
#ifdef SECCOMP_ARCH
    if (prctl (PR_GET_SECCOMP, 0, 0, 0, 0) < 0)
        ow_warn ("this kernel has no seccomp: decoding is limited by resource limits only");
#else
    ow_warn ("no seccomp filter for this architecture: decoding is limited by resource limits only");
#endif
}

static void
set_limit (int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit limit = { .rlim_cur = soft, .rlim_max = hard };
    setrlimit (resource, &limit);
}

#ifdef SECCOMP_ARCH
typedef struct {
    struct sock_filter code [MAX_PROGRAM];
    unsigned short size;
} program_t;

static void
emit_one (program_t *program, struct sock_filter instruction)
{
    assert (program->size < MAX_PROGRAM);
    program->code [program->size++] = instruction;
}

//  BPF_STMT and BPF_JUMP are initialisers; this makes them values.
#define emit(program, instruction) emit_one (program, (struct sock_filter) instruction)

#define REFUSE  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA))
#define ALLOW   BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define LOAD(field) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, field))

//  Refuses system call `number`.
static void
refuse (program_t *program, int number)
{
    emit (program, BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) number, 0, 1));
    emit (program, REFUSE);
}

//  Refuses `number` when argument `arg` (its low 32 bits) has any of `bits`;
//  reloads the call number after.
static void
refuse_with_flags (program_t *program, int number, int arg, unsigned bits)
{
    emit (program, BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) number, 0, 4));
    emit (program, LOAD (args [arg]));
    emit (program, BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1));
    emit (program, REFUSE);
    emit (program, LOAD (nr));
}

//  Refuses `number` unless its first argument is `pid` (signals to self).
static void
refuse_unless_self (program_t *program, int number, pid_t pid)
{
    emit (program, BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) number, 0, 4));
    emit (program, LOAD (args [0]));
    emit (program, BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) pid, 1, 0));
    emit (program, REFUSE);
    emit (program, LOAD (nr));
}

static void
build_filter (program_t *program)
{
    static const int refused [] = {
        SYS_socket, SYS_socketpair, SYS_connect, SYS_bind, SYS_listen, SYS_accept,
        SYS_accept4, SYS_execve, SYS_execveat, SYS_unlinkat, SYS_mkdirat,
        SYS_linkat, SYS_symlinkat, SYS_fchmodat, SYS_fchownat, SYS_truncate, SYS_ftruncate,
        SYS_mount, SYS_umount2, SYS_process_vm_writev, SYS_process_vm_readv, SYS_tkill,
#ifdef SYS_renameat
        SYS_renameat,
#endif
#ifdef SYS_renameat2
        SYS_renameat2,
#endif
#ifdef SYS_openat2
        SYS_openat2,
#endif
#if defined (__x86_64__)
        SYS_unlink, SYS_rename, SYS_mkdir, SYS_rmdir, SYS_link, SYS_symlink, SYS_chmod,
        SYS_chown, SYS_lchown, SYS_creat,
#endif
    };
    static const int refused_unless_sanitized [] = {
        SYS_clone, SYS_ptrace,
#ifdef SYS_clone3
        SYS_clone3,
#endif
#if defined (__x86_64__)
        SYS_fork, SYS_vfork,
#endif
    };
    const unsigned writing = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
    pid_t self = getpid ();

    emit (program, LOAD (arch));
    emit (program, BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0));
    emit (program, BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    emit (program, LOAD (nr));
#if defined (__x86_64__)
    //  x32 system calls would slip past every number below.
    emit (program, BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
    emit (program, REFUSE);
#endif
    for (size_t i = 0; i < sizeof refused / sizeof refused [0]; i++)
        refuse (program, refused [i]);
    for (size_t i = 0; !UNDER_ASAN && i < sizeof refused_unless_sanitized / sizeof (int); i++)
        refuse (program, refused_unless_sanitized [i]);
    refuse_with_flags (program, SYS_openat, 2, writing);
#if defined (__x86_64__)
    refuse_with_flags (program, SYS_open, 1, writing);
#endif
    refuse_unless_self (program, SYS_kill, self);
    refuse_unless_self (program, SYS_tgkill, self);
    emit (program, ALLOW);
}
#endif

void
ingest_sandbox_enter (const ow_security_limits_t *limits)
{
    rlim_t seconds = (rlim_t) limits->decode_seconds;
    set_limit (RLIMIT_CPU, seconds, seconds + 1);
    set_limit (RLIMIT_CORE, 0, 0);
    set_limit (RLIMIT_NOFILE, MAX_DESCRIPTORS, MAX_DESCRIPTORS);
    if (!UNDER_ASAN) {
        rlim_t bytes = (rlim_t) limits->decode_memory_mb << 20;
        set_limit (RLIMIT_AS, bytes, bytes);
    }
#ifdef SECCOMP_ARCH
    program_t program = { .size = 0 };
    build_filter (&program);
    struct sock_fprog filter = { .len = program.size, .filter = program.code };
    prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter);
#endif
}
