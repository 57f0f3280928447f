/** The collector on the committed fixture tree: every field of every process, with psutil's
 * meanings. */
#include "core/collector.hpp"
#include "support/printers.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace procpulse::core {
namespace {

namespace tt = boost::test_tools;

constexpr double mem_total = 16384000.0 * 1024; // fixture MemTotal in bytes
constexpr double btime = 1700000000.0;          // fixture btime

/** Everything a fixture process must come out as (clk_tck 100, page size 4096). */
struct expected_process {
    int pid;
    std::uint64_t start_ticks;
    int ppid;
    std::string name, cmdline, username;
    std::uint32_t uid;
    char state;
    std::string status;
    double create_time;
    std::int64_t nice, num_threads;
    bool kernel_thread, zombie;
    double cpu_user, cpu_system;
    std::uint64_t rss_pages, vms_pages, shared_pages, text_pages, data_pages;
    std::uint64_t minor_faults, major_faults;
    std::uint64_t voluntary, involuntary;
    bool has_io;
    std::uint64_t read_bytes, write_bytes, read_chars, write_chars, read_count, write_count;
};

const std::vector<expected_process> fixture_processes = {
    // kthreadd: a kernel thread
    {.pid = 2,
     .start_ticks = 22,
     .ppid = 0,
     .name = "kthreadd",
     .cmdline = "",
     .username = "root",
     .uid = 0,
     .state = 'S',
     .status = "sleeping",
     .create_time = btime + 0.22,
     .nice = 0,
     .num_threads = 1,
     .kernel_thread = true,
     .zombie = false,
     .cpu_user = 0,
     .cpu_system = 0.03,
     .rss_pages = 0,
     .vms_pages = 0,
     .shared_pages = 0,
     .text_pages = 0,
     .data_pages = 0,
     .minor_faults = 0,
     .major_faults = 0,
     .voluntary = 310,
     .involuntary = 0,
     .has_io = true,
     .read_bytes = 0,
     .write_bytes = 0,
     .read_chars = 0,
     .write_chars = 0,
     .read_count = 0,
     .write_count = 0},
    // an idle kworker
    {.pid = 10,
     .start_ticks = 22,
     .ppid = 2,
     .name = "kworker/0:0H-kblockd",
     .cmdline = "",
     .username = "root",
     .uid = 0,
     .state = 'I',
     .status = "idle",
     .create_time = btime + 0.22,
     .nice = -20,
     .num_threads = 1,
     .kernel_thread = true,
     .zombie = false,
     .cpu_user = 0,
     .cpu_system = 0.02,
     .rss_pages = 0,
     .vms_pages = 0,
     .shared_pages = 0,
     .text_pages = 0,
     .data_pages = 0,
     .minor_faults = 0,
     .major_faults = 0,
     .voluntary = 1480,
     .involuntary = 1,
     .has_io = true,
     .read_bytes = 0,
     .write_bytes = 0,
     .read_chars = 0,
     .write_chars = 0,
     .read_count = 0,
     .write_count = 0},
    // name with a space and ')'
    {.pid = 42,
     .start_ticks = 130000,
     .ppid = 1201,
     .name = "a) b",
     .cmdline = "./a) b --verbose",
     .username = "root",
     .uid = 0,
     .state = 'R',
     .status = "running",
     .create_time = btime + 1300,
     .nice = 0,
     .num_threads = 1,
     .kernel_thread = false,
     .zombie = false,
     .cpu_user = 0.4,
     .cpu_system = 0.1,
     .rss_pages = 500,
     .vms_pages = 1000,
     .shared_pages = 300,
     .text_pages = 10,
     .data_pages = 120,
     .minor_faults = 300,
     .major_faults = 0,
     .voluntary = 5,
     .involuntary = 2,
     .has_io = true,
     .read_bytes = 0,
     .write_bytes = 4096,
     .read_chars = 8192,
     .write_chars = 4096,
     .read_count = 4,
     .write_count = 2},
    // a zombie
    {.pid = 77,
     .start_ticks = 124000,
     .ppid = 1201,
     .name = "worker",
     .cmdline = "",
     .username = "alice",
     .uid = 1000,
     .state = 'Z',
     .status = "zombie",
     .create_time = btime + 1240,
     .nice = 0,
     .num_threads = 1,
     .kernel_thread = false,
     .zombie = true,
     .cpu_user = 0.3,
     .cpu_system = 0.2,
     .rss_pages = 0,
     .vms_pages = 0,
     .shared_pages = 0,
     .text_pages = 0,
     .data_pages = 0,
     .minor_faults = 126,
     .major_faults = 1,
     .voluntary = 3,
     .involuntary = 0,
     .has_io = true,
     .read_bytes = 0,
     .write_bytes = 0,
     .read_chars = 6976,
     .write_chars = 0,
     .read_count = 10,
     .write_count = 0},
    // empty cmdline, uid unknown to the user table
    {.pid = 300,
     .start_ticks = 140000,
     .ppid = 1,
     .name = "blanked",
     .cmdline = "",
     .username = "4242",
     .uid = 4242,
     .state = 'S',
     .status = "sleeping",
     .create_time = btime + 1400,
     .nice = 0,
     .num_threads = 2,
     .kernel_thread = false,
     .zombie = false,
     .cpu_user = 0.12,
     .cpu_system = 0.08,
     .rss_pages = 700,
     .vms_pages = 2000,
     .shared_pages = 400,
     .text_pages = 50,
     .data_pages = 300,
     .minor_faults = 900,
     .major_faults = 3,
     .voluntary = 60,
     .involuntary = 4,
     .has_io = true,
     .read_bytes = 0,
     .write_bytes = 8192,
     .read_chars = 1000,
     .write_chars = 2000,
     .read_count = 30,
     .write_count = 40},
    // no io file
    {.pid = 555,
     .start_ticks = 150000,
     .ppid = 1,
     .name = "noio",
     .cmdline = "noio --wait",
     .username = "root",
     .uid = 0,
     .state = 'D',
     .status = "disk-sleep",
     .create_time = btime + 1500,
     .nice = 0,
     .num_threads = 1,
     .kernel_thread = false,
     .zombie = false,
     .cpu_user = 0.6,
     .cpu_system = 1.4,
     .rss_pages = 1500,
     .vms_pages = 4000,
     .shared_pages = 600,
     .text_pages = 80,
     .data_pages = 900,
     .minor_faults = 2000,
     .major_faults = 40,
     .voluntary = 11,
     .involuntary = 1,
     .has_io = false,
     .read_bytes = 0,
     .write_bytes = 0,
     .read_chars = 0,
     .write_chars = 0,
     .read_count = 0,
     .write_count = 0},
    // an ordinary process
    {.pid = 1201,
     .start_ticks = 123456,
     .ppid = 1,
     .name = "python3",
     .cmdline = "python3 -m http.server 8000",
     .username = "alice",
     .uid = 1000,
     .state = 'S',
     .status = "sleeping",
     .create_time = btime + 1234.56,
     .nice = 5,
     .num_threads = 3,
     .kernel_thread = false,
     .zombie = false,
     .cpu_user = 2.5,
     .cpu_system = 0.75,
     .rss_pages = 2560,
     .vms_pages = 6400,
     .shared_pages = 1280,
     .text_pages = 700,
     .data_pages = 1800,
     .minor_faults = 5100,
     .major_faults = 12,
     .voluntary = 842,
     .involuntary = 17,
     .has_io = true,
     .read_bytes = 4096000,
     .write_bytes = 12288,
     .read_chars = 123456,
     .write_chars = 7890,
     .read_count = 321,
     .write_count = 45},
};

BOOST_AUTO_TEST_SUITE(collector_fixture_tests)

BOOST_AUTO_TEST_CASE(every_process_field, *boost::unit_test::tolerance(1e-9)) {
    test::user_table users;
    collector c(test::fixture_path("proc"), test::tree_options(), users.lookup());
    auto r = c.sweep(test::at_seconds(100));
    const snapshot& s = *r.snap;
    BOOST_TEST(s.seq == 1u);
    BOOST_TEST(!s.gap_seconds.has_value());
    BOOST_TEST_REQUIRE(s.processes.size() == fixture_processes.size());
    for (std::size_t i = 0; i < fixture_processes.size(); ++i) {
        const expected_process& e = fixture_processes[i];
        const process_sample& p = s.processes[i]; // sorted by pid
        BOOST_TEST_CONTEXT("pid " << e.pid) {
            BOOST_TEST(p.key.pid == e.pid);
            BOOST_TEST(p.key.start_ticks == e.start_ticks);
            BOOST_TEST(p.ppid == e.ppid);
            BOOST_TEST(p.name == e.name);
            BOOST_TEST_REQUIRE(p.cmdline != nullptr);
            BOOST_TEST(*p.cmdline == e.cmdline);
            BOOST_TEST_REQUIRE(p.username != nullptr);
            BOOST_TEST(*p.username == e.username);
            BOOST_TEST_REQUIRE(p.uid.has_value());
            BOOST_TEST(*p.uid == e.uid);
            BOOST_TEST(p.state == e.state);
            BOOST_TEST(std::string(p.status) == e.status);
            BOOST_TEST(p.create_time == e.create_time);
            BOOST_TEST(p.nice == e.nice);
            BOOST_TEST(p.num_threads == e.num_threads);
            BOOST_TEST(p.kernel_thread == e.kernel_thread);
            BOOST_TEST(p.zombie == e.zombie);
            BOOST_TEST(p.cpu_user == e.cpu_user);
            BOOST_TEST(p.cpu_system == e.cpu_system);
            // psutil memory_info(): statm pages × page size
            BOOST_TEST(p.rss == e.rss_pages * 4096);
            BOOST_TEST(p.vms == e.vms_pages * 4096);
            BOOST_TEST_REQUIRE(p.shared.has_value());
            BOOST_TEST(*p.shared == e.shared_pages * 4096);
            BOOST_TEST_REQUIRE(p.text.has_value());
            BOOST_TEST(*p.text == e.text_pages * 4096);
            BOOST_TEST_REQUIRE(p.data.has_value());
            BOOST_TEST(*p.data == e.data_pages * 4096);
            BOOST_TEST(p.memory_percent ==
                       static_cast<double>(e.rss_pages * 4096) / mem_total * 100);
            BOOST_TEST(p.minor_faults == e.minor_faults);
            BOOST_TEST(p.major_faults == e.major_faults);
            BOOST_TEST_REQUIRE(p.ctx_switches_voluntary.has_value());
            BOOST_TEST(*p.ctx_switches_voluntary == e.voluntary);
            BOOST_TEST_REQUIRE(p.ctx_switches_involuntary.has_value());
            BOOST_TEST(*p.ctx_switches_involuntary == e.involuntary);
            // First sample: no rate yet, and absent rather than 0.
            BOOST_TEST(!p.cpu_percent.has_value());
            BOOST_TEST(!p.minor_faults_per_sec.has_value());
            BOOST_TEST(!p.major_faults_per_sec.has_value());
            BOOST_TEST(!p.read_bytes_per_sec.has_value());
            BOOST_TEST(!p.write_bytes_per_sec.has_value());
            if (e.has_io) {
                BOOST_TEST(p.unavailable == 0u);
                BOOST_TEST_REQUIRE(p.read_bytes.has_value());
                BOOST_TEST(*p.read_bytes == e.read_bytes);
                BOOST_TEST_REQUIRE(p.write_bytes.has_value());
                BOOST_TEST(*p.write_bytes == e.write_bytes);
                BOOST_TEST_REQUIRE(p.read_chars.has_value());
                BOOST_TEST(*p.read_chars == e.read_chars);
                BOOST_TEST_REQUIRE(p.write_chars.has_value());
                BOOST_TEST(*p.write_chars == e.write_chars);
                BOOST_TEST_REQUIRE(p.read_count.has_value());
                BOOST_TEST(*p.read_count == e.read_count);
                BOOST_TEST_REQUIRE(p.write_count.has_value());
                BOOST_TEST(*p.write_count == e.write_count);
            } else {
                BOOST_TEST(p.unavailable == unavailable_io);
                BOOST_TEST(!p.read_bytes.has_value());
                BOOST_TEST(!p.write_bytes.has_value());
                BOOST_TEST(!p.read_chars.has_value());
                BOOST_TEST(!p.write_chars.has_value());
                BOOST_TEST(!p.read_count.has_value());
                BOOST_TEST(!p.write_count.has_value());
            }
        }
    }
    BOOST_TEST(c.tracked() == fixture_processes.size());
}

BOOST_AUTO_TEST_CASE(find_by_pid) {
    collector c(test::fixture_path("proc"), test::tree_options(), test::user_table{}.lookup());
    auto r = c.sweep(test::at_seconds(1));
    const process_sample* p = r.snap->find(42);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->name == "a) b");
    BOOST_TEST(r.snap->find(43) == nullptr);
    BOOST_TEST(r.snap->find(1) == nullptr);
    BOOST_TEST(r.snap->find(99999) == nullptr);
}

BOOST_AUTO_TEST_CASE(missing_io_is_reported_once) {
    collector c(test::fixture_path("proc"), test::tree_options(), test::user_table{}.lookup());
    auto first = c.sweep(test::at_seconds(1));
    BOOST_TEST_REQUIRE(first.problems.size() == 1u);
    const problem& pr = first.problems[0];
    BOOST_TEST(pr.key.pid == 555);
    BOOST_TEST(pr.key.start_ticks == 150000u);
    BOOST_TEST(pr.name == "noio");
    BOOST_TEST(pr.file == procfs::pid_file::io);
    BOOST_TEST(pr.status == procfs::read_status::error); // the process is there, its io is not

    auto second = c.sweep(test::at_seconds(2));
    BOOST_TEST(second.problems.empty());
    const process_sample* p = second.snap->find(555);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->unavailable == unavailable_io); // still unavailable, just not reported again
    BOOST_TEST(!p->read_bytes.has_value());
    BOOST_TEST(!p->read_bytes_per_sec.has_value());
    BOOST_TEST(!p->write_bytes_per_sec.has_value());
    BOOST_TEST_REQUIRE(p->cpu_percent.has_value()); // the other rates exist from the second sweep
    BOOST_TEST(*p->cpu_percent == 0.0);
}

BOOST_AUTO_TEST_CASE(unchanged_tree_gives_zero_rates_on_the_second_sweep) {
    collector c(test::fixture_path("proc"), test::tree_options(), test::user_table{}.lookup());
    c.sweep(test::at_seconds(10));
    auto r = c.sweep(test::at_seconds(11.5));
    BOOST_TEST(r.snap->seq == 2u);
    BOOST_TEST_REQUIRE(r.snap->gap_seconds.has_value());
    BOOST_TEST(*r.snap->gap_seconds == 1.5);
    const process_sample* p = r.snap->find(1201);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST_REQUIRE(p->cpu_percent.has_value());
    BOOST_TEST(*p->cpu_percent == 0.0);
    BOOST_TEST_REQUIRE(p->minor_faults_per_sec.has_value());
    BOOST_TEST(*p->minor_faults_per_sec == 0.0);
    BOOST_TEST_REQUIRE(p->read_bytes_per_sec.has_value());
    BOOST_TEST(*p->read_bytes_per_sec == 0.0);
}

BOOST_AUTO_TEST_CASE(user_names_are_looked_up_once_per_uid) {
    test::user_table users;
    collector c(test::fixture_path("proc"), test::tree_options(), users.lookup());
    c.sweep(test::at_seconds(1));
    c.sweep(test::at_seconds(2));
    BOOST_TEST(*users.calls == 3); // uids 0, 1000 and 4242, each once over two sweeps
}

BOOST_AUTO_TEST_CASE(without_a_lookup_the_uid_is_the_name) {
    collector c(test::fixture_path("proc"), test::tree_options(), nullptr);
    auto r = c.sweep(test::at_seconds(1));
    const process_sample* p = r.snap->find(1201);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST_REQUIRE(p->username != nullptr);
    BOOST_TEST(*p->username == "1000");
}

BOOST_AUTO_TEST_CASE(page_size_and_clock_ticks_come_from_the_options,
                     *boost::unit_test::tolerance(1e-9)) {
    collector_options o = test::tree_options();
    o.clk_tck = 250;
    o.page_size = 16384;
    collector c(test::fixture_path("proc"), o, nullptr);
    auto r = c.sweep(test::at_seconds(1));
    const process_sample* p = r.snap->find(1201);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(p->rss == 2560u * 16384u);
    BOOST_TEST(p->cpu_user == 1.0); // 250 ticks at 250 Hz
    BOOST_TEST(p->create_time == btime + 123456.0 / 250);
}

BOOST_AUTO_TEST_CASE(missing_root_is_a_start_up_error) {
    BOOST_CHECK_THROW(collector("/nonexistent/procpulse-root", test::tree_options(), nullptr),
                      std::system_error);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
