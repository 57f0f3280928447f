#pragma once
/**
 * The process filter of the table (protocol.md, "Filter syntax"): terms separated by spaces, all
 * of which must hold. A term is `field:value` (user:root, name:foo, cmd:nginx, state:zombie,
 * pid:123), `field OP number[unit]` (cpu>50, rss>=1G, mem<2%, threads>10, faults>100, pid<=300;
 * OP one of > >= < <= =; units K M G T, binary, optionally followed by B or iB, and %), or a plain
 * word: a case-insensitive substring of name, command line or user, or the exact PID. Pure; the
 * web app implements the same grammar (frontend/src/state/filter.ts) against the shared cases of
 * shared/fixtures/filter_cases.json.
 */
#include "core/process_sample.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace procpulse::core {

/** One condition of a filter. */
struct filter_term {
    enum class field {
        any,
        name,
        cmd,
        user,
        state,
        pid,
        cpu,
        rss,
        vms,
        shared,
        mem,
        threads,
        faults
    };
    enum class op { contains, equals, gt, ge, lt, le, eq };
    field what = field::any;
    op how = op::contains;
    std::string text;  ///< lower case: for contains / equals (and `any`'s PID when numeric)
    double number = 0; ///< for the comparisons
};

/** A parsed filter: every term must hold. Empty: everything matches. */
struct process_filter {
    std::vector<filter_term> terms;
};

/** Why a filter was refused: the offending term as written, and a sentence naming it. */
struct filter_error {
    std::string token;
    std::string message;
};

/** Parses a filter text. Never throws. */
std::variant<process_filter, filter_error> parse_filter(std::string_view text);

/** Whether a process matches every term (an unknown value, such as a first-sample CPU, fails a
 * comparison). */
bool matches(const process_filter& f, const process_sample& p);

} // namespace procpulse::core
