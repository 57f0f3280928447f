#pragma once
/**
 * Process actions on the live system (--allow-actions): a signal or a new nice value for a
 * process named by its identity (pid, start time), and the log of every action (who, when, what,
 * result), kept in memory and in the store's events. Shell code: system calls and the clock.
 */
#include "http/actions.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace procpulse::actions {

/**
 * Carries the action out when /proc (under `proc_root`) shows the PID with the given start time.
 * The process is held by a pidfd (pidfd_open) before its start time is checked, and signalled
 * through it (pidfd_send_signal), so a PID reused meanwhile is never hit; without pidfds (old
 * kernels) kill() follows the check. A nice value is set with setpriority() after the check (no
 * pidfd form exists), and the pidfd tells afterwards whether the process was still there.
 */
http::action_outcome perform(const std::string& proc_root, const http::action_request& r);

/** Who asked for an action. */
struct requester {
    std::string peer;   ///< "address:port"
    bool token = false; ///< the request carried the configured token
};

/** The action log: recent entries in memory, each also handed to `persist`. Thread-safe. */
class action_log {
public:
    /** Stores an entry (the store's events; called with no lock held). */
    std::function<void(double t, const std::string& json)> persist;

    /** Records one action; returns the entry. */
    boost::json::object record(const requester& who, const http::action_request& r,
                               const http::action_outcome& o, double now);
    /** Entries read back from the store at start (newest first). */
    void load(const std::vector<std::string>& newest_first);
    /** The recent entries, newest first. */
    boost::json::array recent() const;

private:
    mutable std::mutex mutex_;
    std::deque<boost::json::object> entries_; ///< newest first, at most 200
};

} // namespace procpulse::actions
