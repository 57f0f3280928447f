#include "procfs/mountinfo.hpp"

#include "procfs/parse.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace procpulse::procfs {
namespace {

/** Undoes mountinfo's octal escapes (space \040, tab \011, newline \012, backslash \134). */
std::string unescape(std::string_view s) {
    auto oct = [](char c) { return c >= '0' && c <= '7'; };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && s.size() - i > 3 && oct(s[i + 1]) && oct(s[i + 2]) && oct(s[i + 3])) {
            out += static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) |
                                     (s[i + 3] - '0'));
            i += 3;
            continue;
        }
        out += s[i];
    }
    return out;
}

bool parse_dev(std::string_view f, std::uint32_t& major, std::uint32_t& minor) {
    std::size_t colon = f.find(':');
    if (colon == std::string_view::npos) return false;
    return field_cursor::to_number(f.substr(0, colon), major) &&
           field_cursor::to_number(f.substr(colon + 1), minor);
}

} // namespace

std::vector<mount_entry> parse_mountinfo(std::string_view text) {
    std::vector<mount_entry> out;
    for_each_line(text, [&](std::string_view line) {
        field_cursor c(line);
        mount_entry m;
        std::uint64_t id = 0, parent = 0;
        // (1) mount id (2) parent id (3) major:minor (4) root (5) mount point (6) options
        if (!c.next_number(id) || !c.next_number(parent)) return;
        if (!parse_dev(c.next(), m.major, m.minor)) return;
        if (c.next().empty()) return; // root
        std::string_view mp = c.next();
        if (mp.empty() || c.next().empty()) return;
        // (7) optional fields up to the "-" separator, then (9) type and (10) source
        std::string_view f = c.next();
        while (!f.empty() && f != "-")
            f = c.next();
        if (f != "-") return;
        std::string_view type = c.next(), source = c.next();
        if (type.empty()) return;
        m.mount_point = unescape(mp);
        m.fs_type = type;
        m.source = unescape(source);
        out.push_back(std::move(m));
    });
    return out;
}

bool is_pseudo_fs(std::string_view t) {
    static constexpr std::array<std::string_view, 27> pseudo{
        "autofs",          "binfmt_misc", "bpf",      "cgroup",   "cgroup2", "configfs",
        "debugfs",         "devpts",      "devtmpfs", "efivarfs", "fusectl", "hugetlbfs",
        "mqueue",          "nsfs",        "proc",     "pstore",   "ramfs",   "rpc_pipefs",
        "securityfs",      "selinuxfs",   "squashfs", "sysfs",    "tmpfs",   "tracefs",
        "fuse.gvfsd-fuse", "fuse.portal", "nfsd"};
    return std::find(pseudo.begin(), pseudo.end(), t) != pseudo.end();
}

bool is_network_fs(std::string_view t) {
    static constexpr std::array<std::string_view, 14> remote{
        "nfs",  "nfs4",      "cifs",       "smb3",       "smbfs",     "ceph",  "glusterfs",
        "9p",   "afs",       "fuse.sshfs", "fuse.s3fs",  "fuse.rclone", "lustre", "gfs2"};
    return std::find(remote.begin(), remote.end(), t) != remote.end();
}

std::vector<mount_entry> storage_mounts(std::vector<mount_entry> all, std::size_t cap) {
    std::vector<mount_entry> out;
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (auto& m : all) {
        if (out.size() >= cap) break;
        if (is_pseudo_fs(m.fs_type) || is_network_fs(m.fs_type)) continue;
        if (!seen.insert({m.major, m.minor}).second) continue;
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace procpulse::procfs
