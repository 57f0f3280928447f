#include "procfs/mountinfo.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::procfs {
namespace {

BOOST_AUTO_TEST_SUITE(mountinfo_tests)

BOOST_AUTO_TEST_CASE(fixture_parses_and_escapes) {
    auto m = parse_mountinfo(test::fixture_text("proc/self/mountinfo"));
    // "bad" device and the line without "-" are skipped.
    BOOST_TEST_REQUIRE(m.size() == 11u);
    BOOST_TEST(m[3].mount_point == "/");
    BOOST_TEST(m[3].fs_type == "ext4");
    BOOST_TEST(m[3].source == "/dev/nvme0n1p2");
    BOOST_TEST(m[3].major == 259u);
    BOOST_TEST(m[3].minor == 2u);
    BOOST_TEST(m[7].mount_point == "/mnt/My Disk"); // \040, with an optional field before "-"
    BOOST_TEST(m[7].source == "/dev/sda1");
}

BOOST_AUTO_TEST_CASE(storage_mounts_skip_pseudo_and_repeats) {
    auto m = storage_mounts(parse_mountinfo(test::fixture_text("proc/self/mountinfo")), 64);
    std::vector<std::string> points;
    for (const auto& e : m)
        points.push_back(e.mount_point);
    // sysfs, proc, devtmpfs, tmpfs, cgroup2 and squashfs are pseudo; /var/lib/docker is a bind
    // mount of the root's device; the overlay (a container's root) is storage.
    const std::vector<std::string> want{"/", "/boot/efi", "/mnt/My Disk", "/home/user/.cache/x"};
    BOOST_TEST(points == want, boost::test_tools::per_element());
    BOOST_TEST(
        storage_mounts(parse_mountinfo(test::fixture_text("proc/self/mountinfo")), 2).size() == 2u);
}

BOOST_AUTO_TEST_CASE(storage_mounts_leave_out_network_file_systems) {
    // statvfs of a mount whose server is gone hangs: the sampler must never call it.
    auto m = storage_mounts(
        parse_mountinfo("20 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                        "21 20 0:50 / /srv/nfs rw - nfs4 fileserver:/export rw\n"
                        "22 20 0:51 / /mnt/share rw - cifs //nas/share rw\n"
                        "23 20 0:52 / /mnt/remote rw - fuse.sshfs me@host:/ rw\n"
                        "24 20 8:2 / /data rw - xfs /dev/sda2 rw\n"),
        64);
    std::vector<std::string> points;
    for (const auto& e : m)
        points.push_back(e.mount_point);
    const std::vector<std::string> want{"/", "/data"};
    BOOST_TEST(points == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(table_of_lines) {
    struct line_case {
        const char* text;
        const char* mount_point; // nullptr: rejected
    };
    const line_case cases[] = {
        {"1 0 8:1 / / rw - ext4 /dev/sda1 rw", "/"},
        {"1 0 8:1 / /a\\011b rw shared:1 master:2 - xfs /dev/sda1 rw", "/a\tb"},
        {"1 0 8:1 / /a\\134b rw - xfs /dev/sda1 rw", "/a\\b"},
        {"1 0 8:1 / /a\\9 rw - xfs /dev/sda1 rw", "/a\\9"}, // not an escape: kept
        {"1 0 8:1 / /tail\\04 rw - xfs x rw", "/tail\\04"}, // cut escape at the end
        {"1 0 8:1 / / rw shared:1", nullptr},               // no separator
        {"1 0 8:1 / / rw -", nullptr},                      // no type
        {"1 0 81 / / rw - ext4 /dev/sda1 rw", nullptr},     // no major:minor
        {"x 0 8:1 / / rw - ext4 /dev/sda1 rw", nullptr},
        {"1 0 8:1 /", nullptr},
        {"", nullptr},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("'" << c.text << "'") {
            auto m = parse_mountinfo(c.text);
            BOOST_TEST(m.size() == (c.mount_point ? 1u : 0u));
            if (c.mount_point && !m.empty()) BOOST_TEST(m[0].mount_point == c.mount_point);
        }
    }
}

BOOST_AUTO_TEST_CASE(pseudo_types) {
    for (const char* t : {"proc", "sysfs", "tmpfs", "cgroup2", "squashfs", "devpts"})
        BOOST_TEST(is_pseudo_fs(t), t);
    for (const char* t : {"ext4", "xfs", "btrfs", "vfat", "overlay", "nfs4", "zfs"})
        BOOST_TEST(!is_pseudo_fs(t), t);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
