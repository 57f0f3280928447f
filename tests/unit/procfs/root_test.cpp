#include "procfs/pid_stat.hpp"
#include "procfs/root.hpp"
#include "support/child.hpp"
#include "support/printers.hpp"
#include "support/proc_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

namespace procpulse::procfs {
namespace {

std::vector<int> sorted(std::vector<int> v) {
    std::sort(v.begin(), v.end());
    return v;
}

BOOST_AUTO_TEST_SUITE(root_tests)

BOOST_AUTO_TEST_CASE(list_pids_of_the_fixture_tree) {
    root r(test::fixture_path("proc"));
    BOOST_TEST(sorted(r.list_pids()) == (std::vector<int>{2, 10, 42, 77, 300, 555, 1201}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_pids_takes_only_numeric_names) {
    test::proc_tree t;
    for (const char* dir : {"123", "self", "12x", "0", "net", "x9", "007"})
        t.write(std::string(dir) + "/stat", "x");
    root r(t.path());
    BOOST_TEST(r.list_pids() == (std::vector<int>{123}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_pids_again_sees_new_and_exited_processes) {
    test::proc_tree t;
    t.write("5/stat", "x");
    t.write("6/stat", "x");
    root r(t.path());
    BOOST_TEST(sorted(r.list_pids()) == (std::vector<int>{5, 6}), boost::test_tools::per_element());
    t.remove_pid(5);
    t.write("70000/stat", "x");
    BOOST_TEST(sorted(r.list_pids()) == (std::vector<int>{6, 70000}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(read_system_file_kept_open_sees_rewrites) {
    test::proc_tree t;
    t.write("loadavg", "0.10 0.20 0.30 1/100 1000\n");
    root r(t.path());
    std::string buf;
    BOOST_TEST(r.read("loadavg", buf) == read_status::ok);
    BOOST_TEST(buf == "0.10 0.20 0.30 1/100 1000\n");
    t.write("loadavg", "9.99 8.88 7.77 12/345 6789\n");
    BOOST_TEST(r.read("loadavg", buf) == read_status::ok);
    BOOST_TEST(buf == "9.99 8.88 7.77 12/345 6789\n");
    t.write("loadavg", "1 2 3 4/5\n"); // shorter: no stale tail from the previous content
    BOOST_TEST(r.read("loadavg", buf) == read_status::ok);
    BOOST_TEST(buf == "1 2 3 4/5\n");
}

BOOST_AUTO_TEST_CASE(read_missing_system_file_is_gone) {
    root r(test::fixture_path("proc"));
    std::string buf = "stale";
    BOOST_TEST(r.read("zoneinfo", buf) == read_status::gone);
    BOOST_TEST(buf.empty());
    BOOST_TEST(r.path() == test::fixture_path("proc"));
}

BOOST_AUTO_TEST_CASE(missing_root_throws) {
    BOOST_CHECK_THROW(root("/nonexistent/procpulse-root"), std::system_error);
}

BOOST_AUTO_TEST_CASE(pid_dir_reads_fixture_files) {
    root r(test::fixture_path("proc"));
    for (bool keep_open : {true, false}) {
        BOOST_TEST_CONTEXT("keep_open " << keep_open) {
            pid_dir d;
            BOOST_TEST_REQUIRE(d.open(r.fd(), 1201, keep_open) == read_status::ok);
            BOOST_TEST(d.is_open());
            std::string buf;
            for (pid_file f : {pid_file::stat, pid_file::statm, pid_file::status, pid_file::io,
                               pid_file::cmdline}) {
                BOOST_TEST_CONTEXT(file_name(f)) {
                    BOOST_TEST(d.read(f, buf) == read_status::ok);
                    BOOST_TEST(buf == test::fixture_text(std::string("proc/1201/") + file_name(f)));
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(pid_dir_statuses_on_the_fixture) {
    root r(test::fixture_path("proc"));
    std::string buf = "stale";
    pid_dir noio;
    BOOST_TEST_REQUIRE(noio.open(r.fd(), 555, true) == read_status::ok);
    BOOST_TEST(noio.read(pid_file::io, buf) == read_status::gone);
    BOOST_TEST(buf.empty());
    BOOST_TEST(noio.read(pid_file::stat, buf) == read_status::ok); // the rest still reads

    pid_dir zombie;
    BOOST_TEST_REQUIRE(zombie.open(r.fd(), 77, true) == read_status::ok);
    BOOST_TEST(zombie.read(pid_file::cmdline, buf) == read_status::ok);
    BOOST_TEST(buf.empty());

    pid_dir missing;
    BOOST_TEST(missing.open(r.fd(), 99999, true) == read_status::gone);
    BOOST_TEST(!missing.is_open());
    BOOST_TEST(missing.read(pid_file::stat, buf) == read_status::gone);

    pid_dir never_opened;
    BOOST_TEST(never_opened.read(pid_file::stat, buf) == read_status::gone);
}

BOOST_AUTO_TEST_CASE(pid_dir_kept_open_sees_in_place_rewrites) {
    test::proc_tree t;
    t.write("9/stat", "first version of the file\n");
    root r(t.path());
    pid_dir d;
    BOOST_TEST_REQUIRE(d.open(r.fd(), 9, true) == read_status::ok);
    std::string buf;
    BOOST_TEST(d.read(pid_file::stat, buf) == read_status::ok);
    BOOST_TEST(buf == "first version of the file\n");
    t.write("9/stat", "second\n");
    BOOST_TEST(d.read(pid_file::stat, buf) == read_status::ok);
    BOOST_TEST(buf == "second\n");
}

BOOST_AUTO_TEST_CASE(pid_dir_of_a_removed_directory_is_gone) {
    test::proc_tree t;
    t.write("9/stat", "x");
    t.write("9/statm", "y");
    root r(t.path());
    pid_dir d;
    BOOST_TEST_REQUIRE(d.open(r.fd(), 9, false) == read_status::ok);
    std::string buf;
    BOOST_TEST(d.read(pid_file::stat, buf) == read_status::ok);
    t.remove_pid(9);
    BOOST_TEST(d.read(pid_file::stat, buf) == read_status::gone);
    BOOST_TEST(d.read(pid_file::statm, buf) == read_status::gone);
}

BOOST_AUTO_TEST_CASE(large_file_is_read_whole) {
    test::proc_tree t;
    std::string big;
    for (int i = 0; big.size() < 20000; ++i)
        big += "line " + std::to_string(i) + "\n";
    t.write("1/status", big);
    root r(t.path());
    pid_dir d;
    BOOST_TEST_REQUIRE(d.open(r.fd(), 1, true) == read_status::ok);
    std::string buf;
    BOOST_TEST(d.read(pid_file::status, buf) == read_status::ok);
    BOOST_TEST(buf.size() == big.size());
    BOOST_TEST(buf == big);
}

BOOST_AUTO_TEST_CASE(moved_pid_dir_keeps_its_files) {
    root r(test::fixture_path("proc"));
    pid_dir a;
    BOOST_TEST_REQUIRE(a.open(r.fd(), 42, true) == read_status::ok);
    pid_dir b(std::move(a));
    BOOST_TEST(!a.is_open());
    BOOST_TEST(b.is_open());
    std::string buf;
    BOOST_TEST(b.read(pid_file::cmdline, buf) == read_status::ok);
    BOOST_TEST(buf == std::string("./a) b\0--verbose\0", 17));
    pid_dir c;
    c = std::move(b);
    BOOST_TEST(!b.is_open());
    BOOST_TEST(c.read(pid_file::stat, buf) == read_status::ok);
    BOOST_TEST(buf.rfind("42 (a) b) R", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(forbidden_file_reads_forbidden) {
    // As root, file modes do not apply; the read runs in a child that dropped to nobody.
    test::proc_tree t;
    t.write("5/stat", "x");
    t.write("5/io", "read_bytes: 1\nwrite_bytes: 2\n");
    t.chmod("5/io", 0);
    std::string result = test::run_unprivileged([&] {
        root r(t.path());
        pid_dir d;
        std::string buf;
        std::string out = to_string(d.open(r.fd(), 5, true));
        out.append(" ").append(to_string(d.read(pid_file::io, buf)));
        out.append(" ").append(to_string(d.read(pid_file::stat, buf)));
        return out.append(" ").append(buf);
    });
    BOOST_TEST(result == "ok forbidden ok x");
}

BOOST_AUTO_TEST_CASE(errno_maps_to_status) {
    const std::vector<std::pair<int, read_status>> table = {
        {ENOENT, read_status::gone},      {ESRCH, read_status::gone},
        {EACCES, read_status::forbidden}, {EPERM, read_status::forbidden},
        {EIO, read_status::error},        {EINVAL, read_status::error},
    };
    for (auto [err, expected] : table) {
        BOOST_TEST_CONTEXT("errno " << err) {
            BOOST_TEST(to_string(status_from_errno(err)) == to_string(expected));
        }
    }
    BOOST_TEST(std::string(file_name(pid_file::stat)) == "stat");
    BOOST_TEST(std::string(file_name(pid_file::statm)) == "statm");
    BOOST_TEST(std::string(file_name(pid_file::status)) == "status");
    BOOST_TEST(std::string(file_name(pid_file::io)) == "io");
    BOOST_TEST(std::string(file_name(pid_file::cmdline)) == "cmdline");
}

BOOST_AUTO_TEST_CASE(real_proc_kept_open_stat_of_an_exited_process_is_gone) {
    // The collector relies on this: a kept-open file of a process that exited reads as gone.
    test::child c([](int in, int out) {
        (void)::write(out, "r", 1);
        char x;
        (void)::read(in, &x, 1);
        return 0;
    });
    BOOST_TEST_REQUIRE(c.receive() == 'r');
    root r("/proc");
    std::vector<int> pids = r.list_pids();
    BOOST_TEST(std::count(pids.begin(), pids.end(), c.pid()) == 1);
    pid_dir d;
    BOOST_TEST_REQUIRE(d.open(r.fd(), c.pid(), true) == read_status::ok);
    std::string buf;
    BOOST_TEST_REQUIRE(d.read(pid_file::stat, buf) == read_status::ok);
    auto st = parse_pid_stat(buf);
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(st->pid == c.pid());
    BOOST_TEST(st->ppid == ::getpid());
    c.kill_and_wait();
    BOOST_TEST(d.read(pid_file::stat, buf) == read_status::gone);
    BOOST_TEST(buf.empty());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::procfs
