// A stand-in for the part of Darwin (macOS's C library and kernel interfaces) that vmtui's
// Sources/SystemCalls uses, so scripts/check-darwin.sh can type-check the macOS code on Linux.
// Declarations only: nothing here is linked or run. Each group names the Apple header it mirrors
// (xnu and Libc are published by Apple); keep the types exactly as declared there for arm64 macOS.
// Add only what the code uses: a call to anything else must fail the check.
#ifndef VMTUI_CDARWIN_H
#define VMTUI_CDARWIN_H

#include <stdint.h>
#include <stddef.h>

// sys/_types.h, sys/_types/*.h, arm/_types.h (arm64)
typedef int32_t pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint16_t mode_t;
typedef int64_t off_t;
typedef int32_t dev_t;
typedef uint64_t ino_t;
typedef uint16_t nlink_t;
typedef int64_t blkcnt_t;
typedef int32_t blksize_t;
typedef long time_t;
typedef uint32_t socklen_t;
typedef uint8_t sa_family_t;
typedef uint32_t sigset_t;
typedef struct fsid { int32_t val[2]; } fsid_t;
struct timespec { time_t tv_sec; long tv_nsec; };

// sys/param.h, sys/syslimits.h
#define MAXPATHLEN 1024
#define MAXCOMLEN 16

// sys/errno.h; errno itself is the overlay's (Darwin/Errno.swift), over __error().
int *__error(void);
#define ESRCH 3
#define EXDEV 18
#define EINVAL 22
#define ENOTSUP 45
#define EOPNOTSUPP 102

// signal.h, sys/signal.h
#define SIGINT 2
#define SIGPIPE 13
int kill(pid_t, int);
int sigemptyset(sigset_t *);
int sigaddset(sigset_t *, int);

// stdlib.h, string.h
void free(void *);
char *strdup(const char *);

// fcntl.h, sys/fcntl.h (fcntl itself is variadic: the overlay declares its Swift forms)
#define O_RDONLY 0x0000
#define F_SETFD 2
#define FD_CLOEXEC 1

// sys/_types/_seek_set.h
#define SEEK_HOLE 3
#define SEEK_DATA 4

// sys/stat.h (64-bit inodes, Darwin C source: the timespec form of the times)
struct stat {
    dev_t st_dev;
    mode_t st_mode;
    nlink_t st_nlink;
    ino_t st_ino;
    uid_t st_uid;
    gid_t st_gid;
    dev_t st_rdev;
    struct timespec st_atimespec;
    struct timespec st_mtimespec;
    struct timespec st_ctimespec;
    struct timespec st_birthtimespec;
    off_t st_size;
    blkcnt_t st_blocks;
    blksize_t st_blksize;
    uint32_t st_flags;
    uint32_t st_gen;
    int32_t st_lspare;
    int64_t st_qspare[2];
};
int lstat(const char *, struct stat *);

// dirent.h, sys/dirent.h (64-bit inodes: __DARWIN_STRUCT_DIRENTRY)
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_LNK 10
struct dirent {
    uint64_t d_ino;
    uint64_t d_seekoff;
    uint16_t d_reclen;
    uint16_t d_namlen;
    uint8_t d_type;
    char d_name[MAXPATHLEN];
};
typedef struct {
    int __dd_fd;
    long __dd_loc;
    long __dd_size;
    char *__dd_buf;
    int __dd_len;
    long __dd_seek;
    long __padding;
    int __dd_flags;
    void *__dd_lock[8];
    void *__dd_td;
} DIR;
DIR *opendir(const char *);
struct dirent *readdir(DIR *);
int closedir(DIR *);

// sys/mount.h (__DARWIN_STRUCT_STATFS64)
#define MFSTYPENAMELEN 16
struct statfs {
    uint32_t f_bsize;
    int32_t f_iosize;
    uint64_t f_blocks;
    uint64_t f_bfree;
    uint64_t f_bavail;
    uint64_t f_files;
    uint64_t f_ffree;
    fsid_t f_fsid;
    uid_t f_owner;
    uint32_t f_type;
    uint32_t f_flags;
    uint32_t f_fssubtype;
    char f_fstypename[MFSTYPENAMELEN];
    char f_mntonname[MAXPATHLEN];
    char f_mntfromname[MAXPATHLEN];
    uint32_t f_flags_ext;
    uint32_t f_reserved[7];
};
int statfs(const char *, struct statfs *);

// sys/clonefile.h
#define CLONE_NOFOLLOW 0x0001
int clonefile(const char *, const char *, uint32_t);

// sys/socket.h, sys/un.h
#define SOCK_STREAM 1
#define SOL_SOCKET 0xffff
#define SO_NOSIGPIPE 0x1022
#define AF_UNIX 1
#define AF_INET 2
struct sockaddr_un {
    unsigned char sun_len;
    sa_family_t sun_family;
    char sun_path[104];
};
int socket(int, int, int);
int setsockopt(int, int, int, const void *, socklen_t);

// spawn.h (libsyscall/wrappers/spawn), sys/spawn.h
typedef void *posix_spawnattr_t;
typedef void *posix_spawn_file_actions_t;
#define POSIX_SPAWN_SETSIGDEF 0x0004
#define POSIX_SPAWN_SETSIGMASK 0x0008
#define POSIX_SPAWN_SETSID 0x0400
int posix_spawn(pid_t *__restrict, const char *__restrict, const posix_spawn_file_actions_t *,
                const posix_spawnattr_t *__restrict, char *const __argv[__restrict],
                char *const __envp[__restrict]);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *);
int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict, int, const char *__restrict, int, mode_t);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int, int);
int posix_spawnattr_init(posix_spawnattr_t *);
int posix_spawnattr_destroy(posix_spawnattr_t *);
int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict, const sigset_t *__restrict);
int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict, const sigset_t *__restrict);
int posix_spawnattr_setflags(posix_spawnattr_t *, short);

// crt_externs.h: a program's environment (Darwin's headers do not declare `environ`)
char ***_NSGetEnviron(void);

// sys/sysctl.h
int sysctlbyname(const char *, void *, size_t *, void *, size_t);

// mach/machine/vm_types.h, mach/port.h, mach/kern_return.h, mach/message.h
typedef int integer_t;
typedef unsigned int natural_t;
typedef int kern_return_t;
typedef natural_t mach_port_t;
typedef mach_port_t host_t;
typedef natural_t mach_msg_type_number_t;
typedef uintptr_t vm_size_t;
#define KERN_SUCCESS 0

// mach/mach_time.h
struct mach_timebase_info { uint32_t numer; uint32_t denom; };
typedef struct mach_timebase_info *mach_timebase_info_t;
typedef struct mach_timebase_info mach_timebase_info_data_t;
kern_return_t mach_timebase_info(mach_timebase_info_t info);

// mach/mach_init.h, mach/vm_page_size.h
mach_port_t mach_host_self(void);
extern vm_size_t vm_kernel_page_size;

// mach/host_info.h, mach/machine.h, mach/vm_statistics.h, mach/mach_host.h (MIG)
typedef integer_t *host_info_t;
typedef integer_t *host_info64_t;
typedef integer_t host_flavor_t;
#define HOST_CPU_LOAD_INFO 3
#define HOST_VM_INFO64 4
#define CPU_STATE_MAX 4
struct host_cpu_load_info { natural_t cpu_ticks[CPU_STATE_MAX]; };
typedef struct host_cpu_load_info host_cpu_load_info_data_t;
struct vm_statistics64 {
    natural_t free_count;
    natural_t active_count;
    natural_t inactive_count;
    natural_t wire_count;
    uint64_t zero_fill_count;
    uint64_t reactivations;
    uint64_t pageins;
    uint64_t pageouts;
    uint64_t faults;
    uint64_t cow_faults;
    uint64_t lookups;
    uint64_t hits;
    uint64_t purges;
    natural_t purgeable_count;
    natural_t speculative_count;
    uint64_t decompressions;
    uint64_t compressions;
    uint64_t swapins;
    uint64_t swapouts;
    natural_t compressor_page_count;
    natural_t throttled_count;
    natural_t external_page_count;
    natural_t internal_page_count;
    uint64_t total_uncompressed_pages_in_compressor;
} __attribute__((aligned(8)));
typedef struct vm_statistics64 vm_statistics64_data_t;
kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor, host_info_t host_info_out,
                              mach_msg_type_number_t *host_info_outCnt);
kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor, host_info64_t host_info64_out,
                                mach_msg_type_number_t *host_info64_outCnt);

// libproc.h, sys/proc_info.h
#define PROC_ALL_PIDS 1
#define PROC_PIDLISTFDS 1
#define PROC_PIDTBSDINFO 3
#define PROC_PIDTASKINFO 4
#define PROC_PIDFDVNODEPATHINFO 2
#define PROX_FDTYPE_VNODE 1
struct proc_bsdinfo {
    uint32_t pbi_flags;
    uint32_t pbi_status;
    uint32_t pbi_xstatus;
    uint32_t pbi_pid;
    uint32_t pbi_ppid;
    uid_t pbi_uid;
    gid_t pbi_gid;
    uid_t pbi_ruid;
    gid_t pbi_rgid;
    uid_t pbi_svuid;
    gid_t pbi_svgid;
    uint32_t rfu_1;
    char pbi_comm[MAXCOMLEN];
    char pbi_name[2 * MAXCOMLEN];
    uint32_t pbi_nfiles;
    uint32_t pbi_pgid;
    uint32_t pbi_pjobc;
    uint32_t e_tdev;
    uint32_t e_tpgid;
    int32_t pbi_nice;
    uint64_t pbi_start_tvsec;
    uint64_t pbi_start_tvusec;
};
struct proc_taskinfo {
    uint64_t pti_virtual_size;
    uint64_t pti_resident_size;
    uint64_t pti_total_user;
    uint64_t pti_total_system;
    uint64_t pti_threads_user;
    uint64_t pti_threads_system;
    int32_t pti_policy;
    int32_t pti_faults;
    int32_t pti_pageins;
    int32_t pti_cow_faults;
    int32_t pti_messages_sent;
    int32_t pti_messages_received;
    int32_t pti_syscalls_mach;
    int32_t pti_syscalls_unix;
    int32_t pti_csw;
    int32_t pti_threadnum;
    int32_t pti_numrunning;
    int32_t pti_priority;
};
struct proc_fdinfo {
    int32_t proc_fd;
    uint32_t proc_fdtype;
};
struct proc_fileinfo {
    uint32_t fi_openflags;
    uint32_t fi_status;
    off_t fi_offset;
    int32_t fi_type;
    uint32_t fi_guardflags;
};
struct vinfo_stat {
    uint32_t vst_dev;
    uint16_t vst_mode;
    uint16_t vst_nlink;
    uint64_t vst_ino;
    uid_t vst_uid;
    gid_t vst_gid;
    int64_t vst_atime;
    int64_t vst_atimensec;
    int64_t vst_mtime;
    int64_t vst_mtimensec;
    int64_t vst_ctime;
    int64_t vst_ctimensec;
    int64_t vst_birthtime;
    int64_t vst_birthtimensec;
    off_t vst_size;
    int64_t vst_blocks;
    int32_t vst_blksize;
    uint32_t vst_flags;
    uint32_t vst_gen;
    uint32_t vst_rdev;
    int64_t vst_qspare[2];
};
struct vnode_info {
    struct vinfo_stat vi_stat;
    int vi_type;
    int vi_pad;
    fsid_t vi_fsid;
};
struct vnode_info_path {
    struct vnode_info vip_vi;
    char vip_path[MAXPATHLEN];
};
struct vnode_fdinfowithpath {
    struct proc_fileinfo pfi;
    struct vnode_info_path pvip;
};
int proc_listpids(uint32_t type, uint32_t typeinfo, void *buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize);
int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize);
int proc_pidpath(int pid, void *buffer, uint32_t buffersize);

#endif
