// Stitching history from memory and the stored tiers: finest source first, no gap, no overlap.
#include "core/stitch.hpp"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace procpulse::core;

namespace {

/** A series of one column with points at `ts` (value = the time, to see where it came from). */
series points(const std::vector<double>& ts, double tag) {
    series s;
    s.values.resize(1);
    for (double t : ts) {
        s.t.push_back(t);
        s.values[0].push_back(tag);
    }
    return s;
}

std::vector<double> every(double from, double to, double step) {
    std::vector<double> out;
    for (double t = from; t < to - 1e-9; t += step)
        out.push_back(t);
    return out;
}

/** A fake store: per tier step, its points; answers from <= t <= before, like SQLite would. */
struct fake_store {
    std::map<std::int64_t, series> tiers;
    int reads = 0;
    tier_reader reader() {
        return [this](std::int64_t step, double from, double before) -> std::optional<series> {
            ++reads;
            auto it = tiers.find(step);
            if (it == tiers.end()) return std::nullopt;
            series out;
            out.values.resize(1);
            for (std::size_t i = 0; i < it->second.t.size(); ++i)
                if (it->second.t[i] >= from && it->second.t[i] <= before) {
                    out.t.push_back(it->second.t[i]);
                    out.values[0].push_back(it->second.values[0][i]);
                }
            return out;
        };
    }
};

const std::vector<tier> three{{1000, 3600 * 1000}, {10000, 86400 * 1000}, {60000, 7 * 86400 * 1000}};

void strictly_increasing(const series& s) {
    for (std::size_t i = 1; i < s.t.size(); ++i)
        BOOST_TEST_REQUIRE(s.t[i] > s.t[i - 1]);
}

std::size_t count_tag(const series& s, double tag, double from, double to) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.t.size(); ++i)
        if (s.values[0][i] == tag && s.t[i] >= from && s.t[i] < to) ++n;
    return n;
}

} // namespace

BOOST_AUTO_TEST_CASE(after_a_restart_the_default_hour_comes_from_the_1_s_tier) {
    // 12 s watched before a restart at 1000 (every tier written), memory from 1003 on.
    const double now = 1020;
    fake_store db;
    db.tiers[1000] = points(every(988.2, 1000, 1.0), 1);
    db.tiers[10000] = points({988.95, 994.7}, 10); // buckets stamped at their sweeps' mean time
    db.tiers[60000] = points({994.0}, 60);
    auto mem = points(every(1003.0, 1020.5, 0.5), 0);
    // The default range: the last hour, `from` a few microseconds before now - 3600.
    auto s = stitch(mem, three, now - 3600 - 1e-5, now, now, db.reader(), 1);
    BOOST_REQUIRE(s);
    strictly_increasing(*s);
    BOOST_TEST(count_tag(*s, 1, 0, 2000) == 12u); // every 1 s point of the stored part
    BOOST_TEST(count_tag(*s, 10, 0, 2000) == 0u); // no coarser point where the 1 s tier reaches
    BOOST_TEST(count_tag(*s, 60, 0, 2000) == 0u);
    BOOST_TEST(count_tag(*s, 0, 0, 2000) == mem.t.size());
}

BOOST_AUTO_TEST_CASE(a_range_over_three_tiers_has_each_tiers_resolution_in_its_part) {
    const double now = 10 * 86400.0;
    fake_store db;
    // Continuous history since day 2: 1 s for the last hour, 10 s for the last day, 1 min before.
    db.tiers[1000] = points(every(now - 3600, now - 100, 1.0), 1);
    db.tiers[10000] = points(every(now - 86400, now - 100, 10.0), 10);
    db.tiers[60000] = points(every(2 * 86400.0, now - 100, 60.0), 60);
    auto mem = points(every(now - 100, now, 1.0), 0);
    const double from = now - 3 * 86400.0;
    auto s = stitch(mem, three, from, now, now, db.reader(), 1);
    BOOST_REQUIRE(s);
    strictly_increasing(*s);
    // The last hour: 1 s (3500 stored + 100 in memory); the rest of the day: 10 s; before: 1 min.
    BOOST_TEST(count_tag(*s, 1, now - 3600, now) == 3500u);
    BOOST_TEST(count_tag(*s, 0, now - 3600, now) == 100u);
    BOOST_TEST(count_tag(*s, 10, now - 86400, now - 3600) == (86400u - 3600u) / 10u);
    BOOST_TEST(count_tag(*s, 10, now - 3600, now) == 0u);
    BOOST_TEST(count_tag(*s, 60, from, now - 86400) == 2u * 1440u);
    BOOST_TEST(count_tag(*s, 60, now - 86400, now) == 0u);
    BOOST_TEST(s->t.front() >= from);
}

BOOST_AUTO_TEST_CASE(a_finer_tier_without_points_leaves_the_time_to_the_coarser) {
    // Watched only until 2 h ago: the 1 s tier has nothing in its reach, the 10 s tier serves it.
    const double now = 100000;
    fake_store db;
    db.tiers[10000] = points(every(now - 5 * 3600, now - 2 * 3600, 10.0), 10);
    auto s = stitch(std::nullopt, three, now - 6 * 3600, now, now, db.reader(), 1);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->t.size() == 3u * 360u);
    strictly_increasing(*s);
    // Nothing anywhere: nullopt.
    fake_store empty;
    BOOST_TEST(!stitch(std::nullopt, three, now - 60, now, now, empty.reader(), 1));
}

BOOST_AUTO_TEST_CASE(memory_and_store_never_overlap_and_to_is_inclusive_without_memory) {
    const double now = 5000;
    fake_store db;
    db.tiers[1000] = points(every(4900, 4990, 1.0), 1); // includes points memory also holds
    auto mem = points(every(4950, 5000, 1.0), 0);
    auto s = stitch(mem, three, 4000, now, now, db.reader(), 1);
    BOOST_REQUIRE(s);
    strictly_increasing(*s);
    BOOST_TEST(count_tag(*s, 1, 0, 1e9) == 50u); // 4900..4949 only
    // A range that ends exactly on a stored point, nothing in memory: that point is included.
    auto t = stitch(std::nullopt, three, 4900, 4910, now, db.reader(), 1);
    BOOST_REQUIRE(t);
    BOOST_TEST(t->t.back() == 4910.0);
    BOOST_TEST(t->t.size() == 11u);
}

BOOST_AUTO_TEST_CASE(per_core_cpu_of_memory_is_kept_aligned_with_stored_points) {
    // The store keeps no per-core CPU: its points are gaps there, memory's points keep theirs.
    const double now = 1020;
    fake_store db;
    db.tiers[1000] = points(every(1000, 1010, 1.0), 1);
    auto mem = points(every(1010.0, 1020.5, 1.0), 0);
    mem.per_core.resize(2);
    for (std::size_t i = 0; i < mem.t.size(); ++i) {
        mem.per_core[0].push_back(10.0 + static_cast<double>(i));
        mem.per_core[1].push_back(std::nullopt);
    }
    mem.per_core[1].back() = 50.0;
    auto s = stitch(mem, three, 1005, now, now, db.reader(), 1);
    BOOST_REQUIRE(s);
    BOOST_TEST_REQUIRE(s->per_core.size() == 2u);
    BOOST_TEST(s->per_core[0].size() == s->t.size());
    BOOST_TEST(s->per_core[1].size() == s->t.size());
    BOOST_TEST(!s->per_core[0].front().has_value()); // 1005, from the store
    BOOST_TEST(s->t[5] == 1010.0);
    BOOST_TEST(*s->per_core[0][5] == 10.0); // memory's first point
    BOOST_TEST(*s->per_core[1].back() == 50.0);
    // A range memory alone answers is clipped in per_core too.
    auto m = stitch(mem, three, 1015, 1017, now, db.reader(), 1);
    BOOST_REQUIRE(m);
    BOOST_TEST(m->t.size() == 3u);
    BOOST_TEST(m->per_core[0].size() == 3u);
    BOOST_TEST(*m->per_core[0][0] == 15.0);
}
