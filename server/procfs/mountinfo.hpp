#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** One line of /proc/PID/mountinfo (proc(5)), with the octal escapes (\040) of paths undone. */
struct mount_entry {
    std::uint32_t major = 0, minor = 0; ///< (3) st_dev of the file system
    std::string mount_point;            ///< (5)
    std::string fs_type;                ///< after the "-" separator
    std::string source;                 ///< the device ("/dev/sda1") or "none"
};

/** Parses mountinfo in file order; malformed lines are skipped. */
std::vector<mount_entry> parse_mountinfo(std::string_view text);

/**
 * Whether a file system type holds no storage of its own (proc, sysfs, cgroup, tmpfs, squashfs
 * images, …): the file system usage table skips them, as df does without -a.
 */
bool is_pseudo_fs(std::string_view fs_type);
/**
 * Whether a file system lives on another machine (NFS, SMB, Ceph, sshfs, …): never stat'ed by the
 * sampler, whose statvfs would hang with an unreachable server and stall every sweep.
 */
bool is_network_fs(std::string_view fs_type);

/**
 * The mounts worth a usage line: real file systems only, one per device (major:minor; the first
 * mount of a device wins, so bind mounts such as a container's /etc/hosts are not repeated), at
 * most `cap` of them.
 */
std::vector<mount_entry> storage_mounts(std::vector<mount_entry> all, std::size_t cap);

} // namespace procpulse::procfs
