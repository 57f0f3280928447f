#pragma once
/** JSON records for processes and the system: the one encoding every output uses. */
#include "core/process_sample.hpp"
#include "core/system_sample.hpp"

#include <boost/json/object.hpp>

namespace procpulse::protocol {

/** Rounds to `digits` decimals so that noise below display precision does not defeat diffs. */
double round_to(double v, int digits);

/** A process record (shared/protocol.md, "Process record"). */
boost::json::object process_record(const core::process_sample& p);

/** The system record (shared/protocol.md, "System record"). */
boost::json::object system_record(const core::system_sample& s, double timestamp);

} // namespace procpulse::protocol
