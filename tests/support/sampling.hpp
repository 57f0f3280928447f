#pragma once
/** What collector tests pass in: machine constants, sweep times and a user table. */
#include "core/collector.hpp"
#include "core/snapshot.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

namespace procpulse::test {

/** The constants the fixture trees are written for: 100 ticks per second, 4096-byte pages. */
inline core::collector_options tree_options(bool keep_open = true) {
    core::collector_options o;
    o.clk_tck = 100;
    o.page_size = 4096;
    o.keep_open = keep_open;
    return o;
}

/** A sweep `seconds` after an arbitrary monotonic origin (the collector reads no clock). */
inline core::sample_time at_seconds(double seconds) {
    return core::sample_time{static_cast<std::int64_t>(std::llround(seconds * 1e9)),
                             1700050000.0 + seconds};
}

/** uid 0 is root and 1000 alice; any other uid is unknown. Counts the lookups it answers. */
struct user_table {
    std::shared_ptr<int> calls = std::make_shared<int>(0);

    core::user_lookup lookup() const {
        return [calls = calls](std::uint32_t uid) -> std::string {
            ++*calls;
            if (uid == 0) return "root";
            if (uid == 1000) return "alice";
            return {};
        };
    }
};

/**
 * One line about a process's io fields in a sweep result, for tests whose collector runs in a
 * child and reports through a pipe: "unavailable=io read_bytes=null … problems=[io forbidden]".
 */
inline std::string describe_io(const core::collector::result& r, int pid) {
    const core::process_sample* p = r.snap->find(pid);
    if (!p) return "pid " + std::to_string(pid) + " missing";
    auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string("null"); };
    std::ostringstream o;
    o << "unavailable=";
    for (const char* n : core::unavailable_names(p->unavailable))
        o << n << ';';
    o << " read_bytes=" << opt(p->read_bytes) << " write_bytes=" << opt(p->write_bytes)
      << " read_bytes_per_sec=" << opt(p->read_bytes_per_sec) << " rss_known=" << (p->rss > 0)
      << " problems=";
    for (const auto& pr : r.problems)
        if (pr.key.pid == pid)
            o << '[' << procfs::file_name(pr.file) << ' ' << procfs::to_string(pr.status) << ']';
    return o.str();
}

} // namespace procpulse::test
