/** Disks, network interfaces and file systems of the system sample: rates, totals and bounds. */
#include "core/collector.hpp"
#include "core/devices.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

namespace procpulse::core {
namespace {

std::string disk_line(const char* name, std::uint64_t reads, std::uint64_t sectors_read,
                      std::uint64_t writes, std::uint64_t sectors_written, std::uint64_t io_ms) {
    return "   8 0 " + std::string(name) + " " + std::to_string(reads) + " 0 " +
           std::to_string(sectors_read) + " 0 " + std::to_string(writes) + " 0 " +
           std::to_string(sectors_written) + " 0 0 " + std::to_string(io_ms) + " 0\n";
}

std::string net_line(const char* name, std::uint64_t rx, std::uint64_t rx_packets, std::uint64_t tx,
                     std::uint64_t tx_packets) {
    return std::string(name) + ": " + std::to_string(rx) + " " + std::to_string(rx_packets) +
           " 1 2 0 0 0 0 " + std::to_string(tx) + " " + std::to_string(tx_packets) +
           " 3 4 0 0 0 0\n";
}

const std::string net_header = "Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n";

BOOST_AUTO_TEST_SUITE(devices_tests)

BOOST_AUTO_TEST_CASE(rates_over_the_measured_gap, *boost::unit_test::tolerance(1e-9)) {
    test::proc_tree t;
    t.write(test::fake_system{});
    t.write("diskstats", disk_line("sda", 100, 1000, 50, 2000, 100) +
                             disk_line("sda1", 100, 1000, 50, 2000, 100) +
                             disk_line("loop0", 5, 10, 0, 0, 1) + disk_line("sdb", 0, 0, 0, 0, 0));
    t.write("net/dev",
            net_header + net_line("lo", 1000, 10, 1000, 10) + net_line("eth0", 5000, 50, 7000, 70));
    collector c(t.path(), test::tree_options(), nullptr);
    auto first = c.sweep(test::at_seconds(0)).snap->system;
    // loop0 and the never-used sdb are left out; rates are absent on the first sweep.
    BOOST_TEST_REQUIRE(first.disks.size() == 2u);
    BOOST_TEST(first.disks[0].name == "sda");
    BOOST_TEST(!first.disks[0].read_bytes_per_sec.has_value());
    BOOST_TEST(!first.disk_read_bytes_per_sec.has_value());
    BOOST_TEST_REQUIRE(first.net.size() == 2u);
    BOOST_TEST(!first.net[1].rx_bytes_per_sec.has_value());
    BOOST_TEST(first.net[1].rx_errors == 1u);
    BOOST_TEST(first.net[1].tx_drops == 4u);
    BOOST_TEST(first.filesystems.empty()); // no fs_stat given

    // Two seconds later: sda read 400 sectors in 20 reads, wrote 100 in 10, busy 500 ms.
    t.write("diskstats", disk_line("sda", 120, 1400, 60, 2100, 600) +
                             disk_line("sda1", 120, 1400, 60, 2100, 600) +
                             disk_line("loop0", 5, 10, 0, 0, 1));
    t.write("net/dev", net_header + net_line("lo", 9000, 20, 9000, 20) +
                           net_line("eth0", 7000, 60, 11000, 90));
    auto s = c.sweep(test::at_seconds(2)).snap->system;
    BOOST_TEST_REQUIRE(s.disks.size() == 2u);
    const auto& sda = s.disks[0];
    BOOST_TEST(*sda.read_bytes_per_sec == 400.0 * 512 / 2);
    BOOST_TEST(*sda.write_bytes_per_sec == 100.0 * 512 / 2);
    BOOST_TEST(*sda.reads_per_sec == 10.0);
    BOOST_TEST(*sda.writes_per_sec == 5.0);
    BOOST_TEST(*sda.busy_percent == 25.0); // 500 ms of 2000
    // The partition repeats its disk's I/O: the total counts sda once.
    BOOST_TEST(*s.disk_read_bytes_per_sec == 400.0 * 512 / 2);
    BOOST_TEST(*s.disk_write_bytes_per_sec == 100.0 * 512 / 2);
    const auto& eth0 = s.net[1];
    BOOST_TEST(*eth0.rx_bytes_per_sec == 1000.0);
    BOOST_TEST(*eth0.tx_bytes_per_sec == 2000.0);
    BOOST_TEST(*eth0.rx_packets_per_sec == 5.0);
    BOOST_TEST(*eth0.tx_packets_per_sec == 10.0);
    BOOST_TEST(*s.net[0].rx_bytes_per_sec == 4000.0); // lo is listed ...
    BOOST_TEST(*s.net_rx_bytes_per_sec == 1000.0);    // ... but not in the total
    BOOST_TEST(*s.net_tx_bytes_per_sec == 2000.0);

    // A counter that went backwards (the interface was re-created) gives no rate, not a huge one.
    t.write("net/dev",
            net_header + net_line("lo", 9000, 20, 9000, 20) + net_line("eth0", 10, 1, 10, 1));
    auto r = c.sweep(test::at_seconds(3)).snap->system;
    BOOST_TEST(!r.net[1].rx_bytes_per_sec.has_value());
}

BOOST_AUTO_TEST_CASE(partitions_and_stacked_devices_stay_out_of_the_total) {
    std::vector<procfs::disk_stat> all;
    for (const char* n : {"sda", "sda1", "nvme0n1", "nvme0n1p2", "mmcblk0", "mmcblk0p1", "dm-0",
                          "md127", "vda", "sr0", "mdx"})
        all.push_back({0, 0, n, 1, 1, 1, 1, 1});
    std::map<std::string, bool> want{{"sda", true},        {"sda1", false},   {"nvme0n1", true},
                                     {"nvme0n1p2", false}, {"mmcblk0", true}, {"mmcblk0p1", false},
                                     {"dm-0", false},      {"md127", false},  {"vda", true},
                                     {"sr0", true},        {"mdx", true}};
    for (const auto& [name, counts] : want)
        BOOST_TEST(counts_in_disk_total(name, all) == counts, name);
}

BOOST_AUTO_TEST_CASE(device_lists_are_bounded) {
    test::proc_tree t;
    t.write(test::fake_system{});
    std::string disks, net = net_header;
    for (int i = 0; i < 300; ++i) {
        const std::string n = "veth" + std::to_string(i);
        net += net_line(n.c_str(), 1, 1, 1, 1);
        const std::string d = "sd" + std::to_string(i) + "x";
        disks += disk_line(d.c_str(), 1, 1, 1, 1, 1);
    }
    t.write("net/dev", net);
    t.write("diskstats", disks);
    collector c(t.path(), test::tree_options(), nullptr);
    auto s = c.sweep(test::at_seconds(0)).snap->system;
    BOOST_TEST(s.net.size() == max_system_devices);
    BOOST_TEST(s.disks.size() == max_system_devices);
    BOOST_TEST(s.net.front().name == "veth0");
}

BOOST_AUTO_TEST_CASE(file_systems_from_mountinfo_and_statvfs, *boost::unit_test::tolerance(1e-9)) {
    test::proc_tree t(test::fixture_path("proc"));
    auto opts = test::tree_options();
    std::vector<std::string> asked;
    opts.fs_stat = [&](const std::string& mp) -> std::optional<procfs::fs_usage> {
        asked.push_back(mp);
        if (mp == "/boot/efi") return std::nullopt; // statvfs failed: no line
        // 100 GiB, 40 GiB free of which 35 GiB available to users (5 GiB reserved).
        constexpr std::uint64_t gib = 1ull << 30;
        return procfs::fs_usage{100 * gib, 40 * gib, 35 * gib};
    };
    collector c(t.path(), opts, nullptr);
    auto s = c.sweep(test::at_seconds(0)).snap->system;
    const std::vector<std::string> want_asked{"/", "/boot/efi", "/mnt/My Disk",
                                              "/home/user/.cache/x"};
    BOOST_TEST(asked == want_asked, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(s.filesystems.size() == 3u);
    const auto& root = s.filesystems[0];
    BOOST_TEST(root.mount_point == "/");
    BOOST_TEST(root.device == "/dev/nvme0n1p2");
    BOOST_TEST(root.fs_type == "ext4");
    BOOST_TEST(root.size == 100ull << 30);
    BOOST_TEST(root.used == 60ull << 30);
    BOOST_TEST(root.available == 35ull << 30);
    BOOST_TEST(root.percent == 100.0 * 60 / 95); // df: used / (used + available)
    BOOST_TEST(s.filesystems[1].mount_point == "/mnt/My Disk");
}

BOOST_AUTO_TEST_CASE(empty_file_system_is_zero_percent) {
    procfs::mount_entry m;
    m.mount_point = "/x";
    auto f = fs_line(m, procfs::fs_usage{0, 0, 0});
    BOOST_TEST(f.percent == 0.0);
    BOOST_TEST(f.used == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
