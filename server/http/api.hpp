#pragma once
/**
 * The REST API: the seed tutorial's endpoints, drop-in (same paths, JSON shapes, `success` flags
 * and error texts), plus /healthz. Pure: a function of the request and the latest snapshot.
 */
#include "core/history.hpp"
#include "core/snapshot.hpp"
#include "http/actions.hpp"
#include "core/threads.hpp"
#include "procfs/pid_task.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace procpulse::http {

/** The server-wide watch list of the seed's monitor/add and monitor/remove. Thread-safe. */
class watch_list {
public:
    /**
     * Persists the list after a change; called with the list lock held (so that saves happen in
     * the order of the changes). Returns an error text when the list could not be saved: the
     * change is then undone.
     */
    std::function<std::optional<std::string>(const std::vector<int>&)> on_change;

    /** What add/remove did. */
    struct outcome {
        bool changed = false;   ///< the list changed (and was saved)
        std::string save_error; ///< not empty: the change could not be saved and was undone
        bool ok() const { return save_error.empty(); }
    };

    outcome add(int pid);
    outcome remove(int pid);
    bool contains(int pid) const;
    std::vector<int> pids() const;
    void assign(const std::vector<int>& pids);
    /** Saves the list as it is (after its database was re-created); the error text, if any. */
    std::string save_again();

private:
    /** Saves the list (lock held); undoes `undo` when the save fails. */
    std::string save(const std::function<void()>& undo);
    mutable std::mutex mutex_;
    std::set<int> pids_;
};

/** Alert rules and events as the REST API sees them (implemented by the server). */
class alerts_api {
public:
    virtual ~alerts_api() = default;
    virtual boost::json::array rules() = 0;
    /** The stored rule, or why it was refused. */
    virtual std::variant<boost::json::object, std::string> add_rule(const boost::json::value& v,
                                                                    double now) = 0;
    virtual bool delete_rule(std::int64_t id, double now) = 0;
    /** {"success":true,"active":[…],"recent":[…]} */
    virtual boost::json::object overview(std::size_t recent) = 0;
};

struct api_response {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::string allow; ///< for 405: the methods the resource answers (the Allow header)
};

/** What /api/processes/<pid>/threads shows. */
struct thread_view {
    procfs::read_status status = procfs::read_status::ok; ///< of the task directory
    core::thread_report report;
    procfs::read_status fd_status = procfs::read_status::ok; ///< of the fd directory
    std::size_t fd_count = 0;                                ///< when fd_status is ok
};

/** What the API reads. */
struct api_context {
    core::snapshot_ptr latest; ///< null before the first sample
    watch_list& watched;
    double now = 0; ///< wall clock, seconds since the epoch
    double interval_seconds = 1;
    /** History query for /api/processes/<pid>/history; nullopt = unknown process. */
    std::function<std::optional<core::series>(int pid, std::optional<std::uint64_t> start,
                                              double from, double to)>
        history;
    std::function<core::series(double from, double to)> system_history;
    alerts_api* alerts = nullptr;
    /** Start, name and command line of the process a history query picks (when known). */
    struct process_info {
        std::uint64_t start = 0;
        std::string name, cmdline;
        /** What in-memory history keeps of it (last live facts, exit time), when it does. */
        std::optional<core::history::description> about;
    };
    std::function<std::optional<process_info>(int pid, std::optional<std::uint64_t> start)>
        describe;
    /**
     * A process the latest snapshot does not hold, read from /proc now (started since the last
     * sweep); nullopt when /proc has no such pid. Unset: only the snapshot is searched.
     */
    std::function<std::optional<core::process_sample>(int pid)> read_now;
    /** Processes started since the latest snapshot's sweep, read now (sorted by pid). */
    std::function<std::vector<core::process_sample>()> read_new;
    /** False when no database keeps history (shown by /api/system). */
    bool history_persisted = true;
    /** Why history writes fail now, if they do (shown by /api/system as "store_error"). */
    std::function<std::optional<std::string>()> store_error;
    /**
     * Carries out a process action and logs it (--allow-actions); unset: actions are off and
     * refused with 403. The transport has checked the token and the Origin already.
     */
    std::function<action_outcome(const action_request&)> act;
    /** The recent actions, newest first (GET /api/actions). */
    std::function<boost::json::array()> recent_actions;
    /** The request's Content-Type and X-Procpulse-Action headers (the CSRF check of actions). */
    std::optional<std::string_view> content_type, action_header_value;
    /**
     * GET /api/processes/<pid>/threads: the threads read now, CPU % since the previous call for
     * the same process, and the count of open descriptors. Unset: 503.
     */
    std::function<thread_view(int pid)> threads;
    /** GET /api/processes/<pid>/fds: the first `limit` open descriptors and the total. */
    std::function<procfs::fd_list(int pid, std::size_t limit)> fds;
};

/** Handles /api/... and /healthz; nullopt for any other path. */
std::optional<api_response> handle_api(std::string_view method, std::string_view target,
                                       std::string_view body, api_context& ctx);

/** Splits a request target into path and decoded query parameters. */
struct target_parts {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    std::optional<std::string> param(std::string_view name) const;
};
target_parts split_target(std::string_view target);

} // namespace procpulse::http
