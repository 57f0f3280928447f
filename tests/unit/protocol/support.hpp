#pragma once
/**
 * Shared pieces of protocol_tests: hand-made samples and snapshots, a fake session_env that
 * publishes snapshots the way the hub does, and golden-file comparison of JSON messages.
 */
#include "core/history.hpp"
#include "core/snapshot.hpp"
#include "protocol/messages.hpp"
#include "protocol/session.hpp"
#include "protocol/tick.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::test {

/**
 * A process sample with every member set, modelled on the golden "a) b" process: io unreadable
 * (its figures absent), everything else present.
 */
core::process_sample process(int pid, std::uint64_t start, std::string name, std::string cmdline);

/** A kernel thread (no cmdline, root). */
core::process_sample kernel_thread(int pid, std::uint64_t start, std::string name);

/** System figures of a 2-core box with 25 GB of memory, rates present. */
core::system_sample system();

/** A published snapshot; processes are sorted by pid as the collector does. */
core::snapshot_ptr snapshot(std::uint64_t seq, double wall, std::vector<core::process_sample> procs,
                            core::system_sample sys = system());

/** The facts the scripted sessions announce in `hello`. */
protocol::server_info server_info();

/** Parses JSON text; a parse error fails the current test and returns null. */
boost::json::value parse(std::string_view text);

/** The last message of a batch, parsed. */
boost::json::value parse_last(const std::vector<std::string>& out);

/**
 * The environment of a session as the hub provides it: an in-memory history, the latest tick,
 * and the interest counts that decide which records the next tick encodes.
 */
class fake_env : public protocol::session_env {
public:
    explicit fake_env(std::size_t history_points = 900) : history_(history_points, 4096) {}

    /** Appends a snapshot to history and builds the next tick from it (hub::publish). */
    protocol::tick_ptr publish(const core::snapshot_ptr& snap);

    protocol::tick_ptr latest_tick() override { return tick_; }
    std::optional<core::series> process_history(const core::process_key& key) override;
    core::series system_history() override;
    std::optional<core::series> query_history(int pid, std::optional<std::uint64_t> start,
                                              double from, double to) override;
    void interest(int pid, int delta) override;

    /** Current interest count of a pid (0 = table rows). */
    int interest_in(int pid) const;

    /**
     * What read_now answers: processes "in /proc" that no tick holds yet. A `read` entry asked
     * for without a full read answers `exists`. Absent pids are absent. Counts the full reads.
     */
    std::map<int, protocol::live_read> live;
    int full_reads = 0;
    protocol::live_read read_now(int pid, bool full) override;

private:
    core::history history_;
    protocol::tick_ptr tick_;
    std::map<int, int> interest_;
};

/**
 * A client's copy of its state document, built from the messages it receives: snapshots and
 * deltas are applied as merge patches (a full snapshot clears it first); `seq` must grow by one.
 */
struct client_doc {
    boost::json::value state = boost::json::object();
    std::uint64_t seq = 0;
    std::vector<boost::json::value> received;

    void receive(const std::string& message);
    void receive(const std::vector<std::string>& messages);
    /** The received messages of a type, in order. */
    std::vector<boost::json::value> of_type(std::string_view type) const;
};

/** The JSON text of a value, pretty-printed with a one-space indent (the fixture files' form). */
std::string pretty(const boost::json::value& v);

/** Path of a file under shared/fixtures/. */
std::string fixture_path(std::string_view relative);

/** A fixture file, parsed. */
boost::json::value read_fixture(std::string_view relative);

/**
 * Compares a server message with shared/fixtures/server/<name> as JSON values. With
 * PROCPULSE_UPDATE_GOLDEN=1 in the environment it writes the message there instead.
 */
void check_golden(std::string_view name, const std::string& message);

} // namespace procpulse::test
