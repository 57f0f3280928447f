/**
 * Forbidden files: fields unavailable (never 0) and one problem per process, not one per sweep.
 * Tests run as root, where file modes do not apply, so the collector runs in a child that dropped
 * to nobody (support/child.hpp) and reports through a pipe.
 */
#include "core/collector.hpp"
#include "support/child.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace procpulse::core {
namespace {

BOOST_AUTO_TEST_SUITE(collector_forbidden_tests)

BOOST_AUTO_TEST_CASE(forbidden_io_is_unavailable_and_reported_once) {
    test::proc_tree t(test::fixture_path("proc"));
    t.chmod("1201/io", 0);
    std::string result = test::run_unprivileged([&] {
        collector c(t.path(), test::tree_options(), nullptr);
        auto first = c.sweep(test::at_seconds(1));
        auto second = c.sweep(test::at_seconds(2));
        return test::describe_io(first, 1201) + "\n" + test::describe_io(second, 1201);
    });
    BOOST_TEST(result == "unavailable=io; read_bytes=null write_bytes=null read_bytes_per_sec=null "
                         "rss_known=1 problems=[io forbidden]\n"
                         "unavailable=io; read_bytes=null write_bytes=null read_bytes_per_sec=null "
                         "rss_known=1 problems=");
}

BOOST_AUTO_TEST_CASE(forbidden_io_of_one_process_leaves_the_others_alone) {
    test::proc_tree t(test::fixture_path("proc"));
    t.chmod("1201/io", 0);
    std::string result = test::run_unprivileged([&] {
        collector c(t.path(), test::tree_options(), nullptr);
        auto r = c.sweep(test::at_seconds(1));
        return test::describe_io(r, 42) + "\n" + std::to_string(r.snap->processes.size());
    });
    BOOST_TEST(result == "unavailable= read_bytes=0 write_bytes=4096 read_bytes_per_sec=null "
                         "rss_known=1 problems=\n7");
}

BOOST_AUTO_TEST_CASE(forbidden_process_directory_is_skipped) {
    test::proc_tree t(test::fixture_path("proc"));
    t.chmod("42", 0);
    std::string result = test::run_unprivileged([&] {
        collector c(t.path(), test::tree_options(), nullptr);
        auto r = c.sweep(test::at_seconds(1));
        std::string pids;
        for (const auto& p : r.snap->processes)
            pids += std::to_string(p.key.pid) + " ";
        return pids;
    });
    BOOST_TEST(result == "2 10 77 300 555 1201 ");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::core
