#pragma once
/** JSON records for processes and the system: the one encoding every output uses. */
#include "core/history.hpp"
#include "core/process_sample.hpp"
#include "core/system_sample.hpp"

#include <boost/json/object.hpp>

namespace procpulse::protocol {

/** Rounds to `digits` decimals so that noise below display precision does not defeat diffs. */
double round_to(double v, int digits);

/** A process record (shared/protocol.md, "Process record"). */
boost::json::object process_record(const core::process_sample& p);

/**
 * The facts history keeps of a process (shared/protocol.md, "History"): a process record's
 * members from its last live sample (pid, start, ppid, name, cmdline, username, uid, create_time,
 * nice, num_threads, cpu_user, cpu_system, rss, vms, shared, memory_percent), `live_time` and
 * `exit_time` (null while it runs).
 */
boost::json::object process_facts(const core::process_key& key,
                                  const core::history::description& d);

/** The system record (shared/protocol.md, "System record"). */
boost::json::object system_record(const core::system_sample& s, double timestamp);

} // namespace procpulse::protocol
