// libFuzzer target: protocol::decode_client_message over any client text frame. A decoded message
// keeps the limits it was checked against: pids positive, sorted and unique, at most
// max_subscriptions of them; a table limit within max_process_limit; a history pid positive and
// its times finite.
#include "support.hpp"

#include "protocol/messages.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace protocol = procpulse::protocol;
    static const procpulse::config::limits lim;
    auto r = protocol::decode_client_message(procpulse::fuzz::text(data, size), lim);
    const auto* m = std::get_if<protocol::client_message>(&r);
    if (!m) return 0;
    const auto& p = m->pids;
    if (p.size() > lim.max_subscriptions || !std::is_sorted(p.begin(), p.end()) ||
        std::adjacent_find(p.begin(), p.end()) != p.end() ||
        std::any_of(p.begin(), p.end(), [](int pid) { return pid <= 0; }))
        std::abort();
    if (m->table.limit == 0 || m->table.limit > lim.max_process_limit) std::abort();
    if (m->type == protocol::client_message::kind::history && m->pid <= 0) std::abort();
    for (const auto& d : {m->from, m->to, m->step})
        if (d && !std::isfinite(*d)) std::abort();
    return 0;
}
