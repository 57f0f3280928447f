#pragma once
/** Decoding of client messages and encoding of server messages (shared/protocol.md). */
#include "config/config.hpp"
#include "core/history.hpp"
#include "core/process_sample.hpp"
#include "core/snapshot.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace procpulse::protocol {

inline constexpr int version = 1;

/** The fixed set of problem codes. */
enum class error_code {
    bad_json,
    bad_request,
    unknown_type,
    no_such_process,
    limit,
    rate_limited,
    too_large
};
const char* to_string(error_code c);

enum class topic { none, system, processes, alerts };

/** Parameters of the live process table. */
struct table_params {
    std::string sort = "rss";
    bool descending = true;
    std::size_t limit = 50;
    std::string filter;
    bool kernel_threads = false;
    friend bool operator==(const table_params&, const table_params&) = default;
};

/** A decoded, validated client message. */
struct client_message {
    enum class kind { subscribe, unsubscribe, resync, ping, history } type = kind::ping;
    std::optional<boost::json::value> id; // echoed as `ref`
    std::vector<int> pids;
    topic what = topic::none;
    table_params table;
    // history requests
    int pid = 0;
    std::optional<std::uint64_t> start;
    std::optional<double> from, to, step;
    std::vector<std::string> metrics;
};

/** Why a client message was refused; `id` is echoed when the message had one. */
struct decode_error {
    error_code code;
    std::string message;
    std::optional<boost::json::value> id;
};

using decode_result = std::variant<client_message, decode_error>;

/** Parses and validates one client text frame. Never throws. */
decode_result decode_client_message(std::string_view text, const config::limits& lim);

/** Static facts announced in `hello`. */
struct server_info {
    std::string epoch;
    std::string host;
    std::string server = "procpulse/0.1.0";
    std::int64_t interval_ms = 1000;
    std::int64_t history_ms = 900000;
    std::uint32_t cpu_count = 0;
    long page_size = 4096;
    std::uint64_t mem_total = 0;
    bool history_persisted = true; ///< false: no database, history lives in memory only
    bool actions_allowed = false;  ///< --allow-actions: POST /api/processes/<pid>/signal and /nice
};

/** Starts a server message object with type, seq and epoch. */
boost::json::object message(std::string_view type, std::uint64_t seq, std::string_view epoch);

/**
 * The first message of a connection. `store_error`: why history writes fail now, if they do
 * (a full disk, a database deleted in a directory that cannot be written); null otherwise.
 */
boost::json::object hello(const server_info& info, const config::limits& lim, std::uint64_t seq,
                          double now, const std::optional<std::string>& store_error = {});
boost::json::object error(std::uint64_t seq, std::string_view epoch, error_code code,
                          std::string_view text, const std::optional<boost::json::value>& ref);

/** Columns of a series: {"t":[…], name:[…], …}. */
boost::json::object series_json(const core::series& s, const char* const* names, std::size_t n);

/** The compact table row of a process. */
boost::json::object table_row(const core::process_sample& p);

/** Table selection: the first `limit` matching processes by the sort key, and the match count. */
struct table_selection {
    std::vector<const core::process_sample*> rows;
    std::size_t total = 0;
};
table_selection select_table(const core::snapshot& snap, const table_params& params);

/** Whether a sort key is known. */
bool valid_sort_key(std::string_view key);

} // namespace procpulse::protocol
