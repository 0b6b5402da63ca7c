#ifndef CLAIMMAP_SHIMS_H
#define CLAIMMAP_SHIMS_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno set
/// (ENOSYS/EINVAL where the platform or file system cannot exchange).
int claimmap_rename_exchange(const char *first, const char *second);

/// The processors this process may run on: its CPU affinity on Linux (so `taskset -c 0` means 1), else the online
/// processors; at least 1.
int claimmap_available_cores(void);

#endif
