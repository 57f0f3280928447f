/**
 * Light sweeps (collector_options::full_read_every): an idle process keeps the statm, status and
 * io figures of its last full read, re-read every N sweeps; activity (in stat: CPU, faults,
 * threads, state, RSS or VSZ) or focus reads everything.
 */
#include "core/collector.hpp"
#include "support/proc_tree.hpp"
#include "support/sampling.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::core {
namespace {

struct light_tree {
    test::proc_tree tree;
    test::fake_system sys;
    test::fake_process p;
    collector c;

    explicit light_tree(int every) : c(prepare(), options(every), test::user_table{}.lookup()) {}

    static collector_options options(int every) {
        collector_options o = test::tree_options(true);
        o.full_read_every = every;
        return o;
    }
    std::string prepare() {
        tree.write(sys);
        p.pid = 100;
        p.resident = 500;
        p.shared = 200;
        p.voluntary_ctxt_switches = 10;
        p.io = test::fake_io{1000, 0, 1, 0, 4096, 0, 0};
        tree.write(p);
        return tree.path();
    }
    process_sample sweep(double at, const std::vector<int>* focus = nullptr) {
        auto r = c.sweep(test::at_seconds(at), focus);
        return *r.snap->find(100);
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(an_idle_process_rereads_its_other_files_every_n_sweeps) {
    light_tree t(3);
    auto s0 = t.sweep(0);
    BOOST_TEST(*s0.shared == 200u * 4096);
    // statm's shared and status's switches change, but stat shows no activity: the new values
    // appear at the one full read among the next 3 sweeps (each process has its own phase).
    t.p.shared = 250;
    t.p.voluntary_ctxt_switches = 11;
    t.tree.write(t.p);
    int light = 0, full_at = -1;
    for (int i = 1; i <= 3; ++i) {
        auto s = t.sweep(i);
        BOOST_TEST(s.rss == 500u * 4096);
        if (*s.shared == 200u * 4096) {
            BOOST_TEST(full_at < 0); // old values only before the full read
            BOOST_TEST(*s.ctx_switches_voluntary == 10u);
            BOOST_TEST(*s.read_bytes_per_sec == 0.0);
            ++light;
        } else {
            BOOST_TEST(*s.shared == 250u * 4096);
            BOOST_TEST(*s.ctx_switches_voluntary == 11u);
            if (full_at < 0) full_at = i;
        }
    }
    BOOST_TEST(full_at > 0);
    BOOST_TEST(light == full_at - 1);
}

BOOST_AUTO_TEST_CASE(activity_or_focus_reads_every_file_and_io_rates_use_the_io_gap) {
    light_tree t(10);
    t.sweep(0);
    t.sweep(1);      // light
    t.p.minflt += 5; // activity shows in stat
    t.p.shared = 260;
    t.p.io->read_bytes += 8192;
    t.tree.write(t.p);
    auto s2 = t.sweep(2);
    BOOST_TEST(*s2.shared == 260u * 4096);
    // io was last read at t=0: 8192 bytes over 2 s, not over the 1 s since the light sweep.
    BOOST_TEST(*s2.read_bytes_per_sec == 4096.0);
    t.p.shared = 270;
    t.tree.write(t.p);
    std::vector<int> focus{100};
    auto s3 = t.sweep(3, &focus); // idle, but someone is watching it
    BOOST_TEST(*s3.shared == 270u * 4096);
    t.p.shared = 280;
    t.tree.write(t.p);
    BOOST_TEST(*t.sweep(4).shared == 270u * 4096); // idle and not in focus: light again
}

BOOST_AUTO_TEST_CASE(an_idle_process_rss_does_not_flip_between_stat_and_statm) {
    // stat's RSS is the kernel's approximate counter and may differ from statm's exact one. An
    // idle process must show one figure (statm's, as psutil does), light sweep or full read.
    light_tree t(3);
    t.p.stat_rss = 480;
    t.tree.write(t.p);
    t.sweep(0);
    for (int i = 1; i <= 7; ++i) {
        auto s = t.sweep(i);
        BOOST_TEST(s.rss == 500u * 4096, "sweep " << i);
        BOOST_TEST(s.vms == 1000u * 4096, "sweep " << i);
    }
}

BOOST_AUTO_TEST_CASE(a_change_of_stat_rss_or_vsz_makes_a_full_read) {
    // Memory can change without CPU ticks or faults showing (reclaim, a shared mapping): a
    // different RSS or VSZ in stat reads statm (and the rest) at once.
    light_tree t(10);
    t.sweep(0);
    t.sweep(1); // light
    // Changes the process's files as `edit` says, then sweeps.
    auto sweep_after = [&t](int i, auto edit) {
        edit(t.p);
        t.tree.write(t.p);
        return t.sweep(i);
    };
    auto s2 = sweep_after(2, [](auto& p) {
        p.resident = 450;
        p.shared = 190;
    });
    BOOST_TEST(s2.rss == 450u * 4096);
    BOOST_TEST(*s2.shared == 190u * 4096);
    auto s3 = sweep_after(3, [](auto& p) {
        p.size = 1200;
        p.shared = 180;
    });
    BOOST_TEST(s3.vms == 1200u * 4096);
    BOOST_TEST(*s3.shared == 180u * 4096);
    t.p.shared = 170; // statm only: waits for the process's full read
    t.tree.write(t.p);
    BOOST_TEST(*t.sweep(4).shared == 180u * 4096);
}

BOOST_AUTO_TEST_CASE(zero_reads_every_file_every_sweep) {
    light_tree t(0);
    t.sweep(0);
    t.p.shared = 222;
    t.tree.write(t.p);
    BOOST_TEST(*t.sweep(1).shared == 222u * 4096);
}

} // namespace procpulse::core
