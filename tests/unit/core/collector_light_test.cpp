/**
 * Light sweeps (collector_options::full_read_every): an idle process keeps the statm, status and
 * status figures of its last full read, re-read every N sweeps; io is read every sweep; activity
 * (in stat: CPU, faults, threads, state, RSS or VSZ; in io: any counter) or focus reads everything.
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
    // io is read on every sweep, light ones too: 8192 bytes in the 1 s since the last.
    BOOST_TEST(*s2.read_bytes_per_sec == 8192.0);
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

BOOST_AUTO_TEST_CASE(io_without_cpu_ticks_is_measured_on_every_sweep) {
    // A process writing 5 MB/s with too little CPU to show a tick: stat looks idle, but its byte
    // rates are measured, never set to 0, and rate x dt over the sweeps adds up to what it wrote.
    light_tree t(10);
    t.sweep(0);
    double sum = 0;
    const std::uint64_t first = t.p.io->write_bytes;
    for (int i = 1; i <= 20; ++i) {
        t.p.io->write_bytes += 5'000'000;
        t.p.io->wchar += 5'000'000;
        t.p.io->syscw += 10;
        t.p.voluntary_ctxt_switches += 10;
        t.tree.write(t.p);
        auto s = t.sweep(i * 0.25); // 250 ms apart
        BOOST_TEST_REQUIRE(s.write_bytes_per_sec.has_value());
        BOOST_TEST(*s.write_bytes_per_sec == 20'000'000.0);
        BOOST_TEST(*s.write_bytes == t.p.io->write_bytes);
        // Activity in io makes a full read: status's switches are current, not carried.
        BOOST_TEST(*s.ctx_switches_voluntary == t.p.voluntary_ctxt_switches);
        BOOST_TEST(!s.detail_age.has_value());
        sum += *s.write_bytes_per_sec * 0.25;
    }
    BOOST_TEST(sum == static_cast<double>(t.p.io->write_bytes - first));
    // Stops writing: measured 0 (the counters did not move), and light sweeps resume.
    auto idle1 = t.sweep(5.25);
    BOOST_TEST(*idle1.write_bytes_per_sec == 0.0);
    int carried = 0;
    for (int i = 0; i < 9; ++i) {
        auto s = t.sweep(5.5 + i * 0.25);
        BOOST_TEST(*s.write_bytes_per_sec == 0.0);
        if (s.detail_age) ++carried;
    }
    BOOST_TEST(carried >= 7);
}

BOOST_AUTO_TEST_CASE(a_light_sweep_says_how_old_its_carried_figures_are) {
    light_tree t(4);
    t.sweep(0);
    std::optional<double> last_full = 0;
    for (int i = 1; i <= 8; ++i) {
        auto s = t.sweep(i);
        if (s.detail_age) {
            BOOST_TEST(*s.detail_age == i - *last_full);
        } else {
            last_full = i;
        }
    }
    std::vector<int> focus{100};
    BOOST_TEST(!t.sweep(9, &focus).detail_age.has_value()); // focus: always read now
}

BOOST_AUTO_TEST_CASE(a_rewritten_command_line_shows_at_the_next_full_read) {
    // postgres, nginx and sshd rewrite their argv in place and keep their comm.
    light_tree t(3);
    t.p.cmdline = {"postgres", "-D", "/data"};
    t.tree.write(t.p);
    BOOST_TEST(*t.sweep(0).cmdline == "postgres -D /data");
    t.p.cmdline = {"postgres: checkpointer"};
    t.tree.write(t.p);
    bool seen = false;
    for (int i = 1; i <= 3 && !seen; ++i)
        seen = *t.sweep(i).cmdline == "postgres: checkpointer";
    BOOST_TEST(seen);
    t.p.cmdline = {"postgres: walwriter"};
    t.tree.write(t.p);
    std::vector<int> focus{100};
    BOOST_TEST(*t.sweep(5, &focus).cmdline == "postgres: walwriter"); // subscribed: at once
}

BOOST_AUTO_TEST_CASE(a_long_name_is_extended_from_the_first_argument) {
    light_tree t(0);
    t.p.comm = "procpulse-long-"; // the kernel cut "procpulse-long-name" at 15
    t.p.cmdline = {"/opt/bin/procpulse-long-name", "--flag"};
    t.tree.write(t.p);
    BOOST_TEST(t.sweep(0).name == "procpulse-long-name");
    BOOST_TEST(t.sweep(1).name == "procpulse-long-name");
}

BOOST_AUTO_TEST_CASE(read_one_finds_a_process_no_sweep_has_seen) {
    light_tree t(10);
    auto r0 = t.c.sweep(test::at_seconds(0));
    test::fake_process young;
    young.pid = 4242;
    young.comm = "young";
    young.starttime = 5555;
    young.utime = 7;
    young.cmdline = {"young", "-x"};
    t.tree.write(young);
    auto got = t.c.read_one(4242, test::at_seconds(0.1), r0.snap->system);
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->key.pid == 4242);
    BOOST_TEST(got->key.start_ticks == 5555u);
    BOOST_TEST(got->name == "young");
    BOOST_TEST(*got->cmdline == "young -x");
    BOOST_TEST(got->cpu_user == 0.07);
    BOOST_TEST(!got->cpu_percent.has_value()); // a first sample: no rate
    BOOST_TEST(!got->write_bytes_per_sec.has_value());
    BOOST_TEST(got->memory_percent > 0);
    BOOST_TEST(!t.c.read_one(4243, test::at_seconds(0.1), r0.snap->system).has_value());
    // It tracked nothing: the next sweep finds it as new, and the tracked count is its own.
    auto r1 = t.c.sweep(test::at_seconds(1));
    BOOST_TEST(r1.snap->find(4242) != nullptr);
    BOOST_TEST(t.c.tracked() == 2u);
}

BOOST_AUTO_TEST_CASE(zero_reads_every_file_every_sweep) {
    light_tree t(0);
    t.sweep(0);
    t.p.shared = 222;
    t.tree.write(t.p);
    BOOST_TEST(*t.sweep(1).shared == 222u * 4096);
}

} // namespace procpulse::core
