#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace procpulse::procfs {

/** statvfs(3) of a mounted file system, in bytes. */
struct fs_usage {
    std::uint64_t size = 0;      ///< f_blocks * f_frsize
    std::uint64_t free = 0;      ///< f_bfree * f_frsize (root's reserve included)
    std::uint64_t available = 0; ///< f_bavail * f_frsize (what unprivileged users may still use)
};

/** statvfs of a path; nullopt when it fails (unmounted, forbidden, a stale NFS mount …). */
std::optional<fs_usage> read_fs_usage(const std::string& path);

} // namespace procpulse::procfs
