// Downsampling into retention tiers: bucket means, nulls, emission on bucket change and on exit.
#include "core/downsample.hpp"

#include <boost/test/unit_test.hpp>

using namespace procpulse::core;

namespace {
snapshot at(double t, std::optional<double> cpu, std::uint64_t rss, bool with_proc = true) {
    snapshot s;
    s.at.wall = t;
    s.system.cpu_percent = cpu;
    s.system.mem_used = rss;
    if (with_proc) {
        process_sample p;
        p.key = {42, 4200};
        p.rss = rss;
        p.cpu_percent = cpu;
        s.processes.push_back(p);
    }
    return s;
}
const process_key key{42, 4200};
} // namespace

BOOST_AUTO_TEST_CASE(tiers_parse_and_validate) {
    auto t = parse_tiers("1s:1h,10s:24h,1m:7d");
    BOOST_REQUIRE(t);
    BOOST_TEST(t->size() == 3u);
    BOOST_TEST((*t)[1].step_ms == 10000);
    BOOST_TEST((*t)[2].keep_ms == 7LL * 86400 * 1000);
    std::string why;
    BOOST_TEST(!parse_tiers("10s:1h,1s:2h", &why));
    BOOST_TEST(why == "tier steps must increase");
    BOOST_TEST(!parse_tiers("1s", &why));
    BOOST_TEST(!parse_tiers("1h:1s", &why));
    BOOST_TEST(!parse_tiers("", &why));
}

BOOST_AUTO_TEST_CASE(buckets_average_and_close_when_the_next_bucket_starts) {
    downsampler d({{10000, 3600000}});
    std::set<process_key> keep{key};
    BOOST_TEST(d.add(at(100.0, 10.0, 1000), keep).empty());
    BOOST_TEST(
        d.add(at(105.0, std::nullopt, 3000), keep).empty()); // null cpu is skipped in the mean
    BOOST_TEST(d.add(at(109.9, 30.0, 2000), keep).empty());
    auto rows = d.add(at(110.0, 50.0, 9000), keep); // bucket [100,110) closes
    BOOST_REQUIRE(rows.size() == 2u);               // system and the process
    const history_row* proc = rows[0].key.pid == 42 ? &rows[0] : &rows[1];
    const history_row* sys = rows[0].key.pid == 0 ? &rows[0] : &rows[1];
    // Stamped at the mean time of the sweeps it holds (100, 105, 109.9), inside the bucket.
    BOOST_TEST(proc->t == (100.0 + 105.0 + 109.9) / 3, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(sys->t == proc->t);
    BOOST_TEST(proc->step_ms == 10000);
    BOOST_TEST(*proc->values[0] == 2000.0);   // rss mean of 1000, 3000, 2000
    BOOST_TEST(*proc->values[3] == 20.0);     // cpu mean of 10 and 30
    BOOST_TEST(!proc->values[2].has_value()); // shared never available: null
    BOOST_TEST(*sys->values[0] == 20.0);
    BOOST_TEST(*sys->values[1] == 2000.0);
}

BOOST_AUTO_TEST_CASE(an_exited_or_unwatched_process_flushes_its_open_bucket) {
    downsampler d({{1000, 3600000}, {60000, 86400000}});
    std::set<process_key> keep{key};
    d.add(at(0.0, 1.0, 100), keep);
    d.add(at(0.5, 3.0, 300), keep);
    auto rows = d.add(at(0.9, 5.0, 0, false), keep); // process gone
    std::vector<history_row> proc;
    for (auto& r : rows)
        if (r.key == key) proc.push_back(r);
    BOOST_REQUIRE(proc.size() == 2u); // both tiers' open buckets
    BOOST_TEST(*proc[0].values[0] == 200.0);
    auto rest = d.flush();
    BOOST_TEST(rest.size() == 2u); // the system's open buckets in both tiers
    for (const auto& r : rest)
        BOOST_TEST(r.key.pid == 0);
}

BOOST_AUTO_TEST_CASE(a_first_bucket_is_never_stamped_before_its_first_sweep) {
    // A server that starts at 100.7 into a 10 s bucket: the point is not dated 100.0 (before the
    // server existed) with a mean of later values, but at the mean of the sweeps it holds.
    downsampler d({{10000, 3600000}});
    std::set<process_key> keep{key};
    d.add(at(100.7, 1.0, 100), keep);
    d.add(at(101.7, 1.0, 300), keep);
    auto rows = d.flush();
    BOOST_REQUIRE(!rows.empty());
    for (const auto& r : rows) {
        BOOST_TEST(r.t >= 100.7);
        BOOST_TEST(r.t <= 101.7);
    }
    // A second run sharing that bucket (restart at 104.2) stores a point of its own, stamped apart.
    downsampler again({{10000, 3600000}});
    again.add(at(104.2, 1.0, 500), keep);
    auto more = again.flush();
    BOOST_REQUIRE(!more.empty());
    BOOST_TEST(more[0].t != rows[0].t);
    BOOST_TEST(more[0].t == 104.2);
}
