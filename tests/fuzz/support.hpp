#pragma once
/**
 * Shared pieces of the libFuzzer targets: the fuzz input as text, snapshots of the committed
 * fixture tree (tests/fixtures/proc) taken by the real collector, and a REST API context over them
 * (history, watch list, alert rules) that needs no network.
 */
#include "core/alerts.hpp"
#include "core/history.hpp"
#include "core/snapshot.hpp"
#include "http/api.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::fuzz {

/** The fuzz input as a string_view (libFuzzer owns the bytes for the call). */
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/** Splits the input on NUL and newline (a command line, one argument per piece). */
std::vector<std::string> split_args(std::string_view input);

/** Wall clock of the first fixture sweep; the others follow one second apart. */
inline constexpr double fixture_wall = 1795680000.25;

/**
 * Four sweeps of tests/fixtures/proc by core::collector (the second and later have rates), made
 * once and shared by every input.
 */
const std::vector<core::snapshot_ptr>& fixture_sweeps();

/** A pid that no sweep holds but read_now finds (a process started since the last sweep). */
inline constexpr int fresh_pid = 9000;

/** Alert rules kept in memory: what alerts::alert_service does, without the database. */
class memory_alerts : public http::alerts_api {
public:
    boost::json::array rules() override;
    std::variant<boost::json::object, std::string> add_rule(const boost::json::value& v,
                                                            double now) override;
    bool delete_rule(std::int64_t id, double now) override;
    boost::json::object overview(std::size_t recent) override;
    /** Forgets every rule (the next input starts afresh). */
    void clear();

    core::alert_engine engine;

private:
    std::int64_t next_id_ = 1;
};

/**
 * A REST API over the fixture sweeps and their history, a watch list and in-memory alert rules.
 * Made once; reset() before each input, since requests change the watch list and the rules.
 */
struct api_fixture {
    api_fixture();
    /** Empties the watch list and the rules. */
    void reset();
    api_fixture(const api_fixture&) = delete;
    api_fixture& operator=(const api_fixture&) = delete;

    http::watch_list watched;
    core::history hist{16, 4096};
    memory_alerts alerts;
    http::api_context ctx;

private:
    std::optional<core::process_key> key_of(int pid, std::optional<std::uint64_t> start) const;
};

} // namespace procpulse::fuzz
