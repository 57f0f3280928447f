#include "http/actions.hpp"

#include "http/header_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <csignal>

namespace procpulse::http {

namespace json = boost::json;

std::optional<int> action_signal(std::string_view name) {
    if (name == "TERM") return SIGTERM;
    if (name == "KILL") return SIGKILL;
    if (name == "STOP") return SIGSTOP;
    if (name == "CONT") return SIGCONT;
    return std::nullopt;
}

std::variant<action_request, std::string> parse_action(std::string_view kind, int pid,
                                                       std::string_view body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return std::string("Body must be a JSON object");
    const auto& o = v.get_object();
    action_request r;
    r.pid = pid;
    const json::value* start = o.if_contains("start");
    if (!start || !(start->is_uint64() || (start->is_int64() && start->get_int64() >= 0)))
        return std::string("\"start\" (the process's start time, as in its record) is required: "
                           "it makes sure a reused PID is never hit");
    r.start =
        start->is_uint64() ? start->get_uint64() : static_cast<std::uint64_t>(start->get_int64());
    if (kind == "signal") {
        r.what = action_request::kind::signal;
        const json::value* s = o.if_contains("signal");
        if (!s || !s->is_string())
            return std::string("\"signal\" must be TERM, KILL, STOP or CONT");
        r.signal_name = std::string(s->get_string());
        auto n = action_signal(r.signal_name);
        if (!n) return "unknown signal \"" + r.signal_name + "\" (TERM, KILL, STOP or CONT)";
        r.signal = *n;
        return r;
    }
    r.what = action_request::kind::nice;
    const json::value* n = o.if_contains("nice");
    if (!n || !n->is_int64() || n->get_int64() < -20 || n->get_int64() > 19)
        return std::string("\"nice\" must be an integer from -20 to 19");
    r.nice = static_cast<int>(n->get_int64());
    return r;
}

std::string action_csrf_problem(std::optional<std::string_view> content_type,
                                std::optional<std::string_view> action_header_value) {
    std::string_view type = trim(content_type.value_or(""));
    type = trim(type.substr(0, type.find(';')));
    if (!iequals(type, "application/json")) return "actions need Content-Type: application/json";
    if (!action_header_value || trim(*action_header_value).empty())
        return "actions need the header " + std::string(action_header) + ": 1";
    return {};
}

} // namespace procpulse::http
