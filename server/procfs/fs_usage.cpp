#include "procfs/fs_usage.hpp"

#include <sys/statvfs.h>

namespace procpulse::procfs {

std::optional<fs_usage> read_fs_usage(const std::string& path) {
    struct statvfs v {};
    if (::statvfs(path.c_str(), &v) != 0) return std::nullopt;
    const std::uint64_t f = v.f_frsize ? v.f_frsize : v.f_bsize;
    return fs_usage{v.f_blocks * f, v.f_bfree * f, v.f_bavail * f};
}

} // namespace procpulse::procfs
