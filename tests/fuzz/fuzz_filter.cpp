// libFuzzer target: core::parse_filter over any text, and the parsed filter applied to every
// process of the fixture sweeps. A refused filter names a term of the input; parsing twice gives
// the same answer.
#include "support.hpp"

#include "core/process_filter.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = procpulse::fuzz::text(data, size);
    auto parsed = procpulse::core::parse_filter(text);
    if (auto* e = std::get_if<procpulse::core::filter_error>(&parsed)) {
        if (e->token.empty() || text.find(e->token) == std::string_view::npos) std::abort();
        if (e->message.find(e->token) == std::string::npos) std::abort();
        auto again = procpulse::core::parse_filter(text);
        if (!std::holds_alternative<procpulse::core::filter_error>(again)) std::abort();
        return 0;
    }
    const auto& f = std::get<procpulse::core::process_filter>(parsed);
    if (f.terms.size() > size) std::abort();
    for (const auto& snap : procpulse::fuzz::fixture_sweeps())
        for (const auto& p : snap->processes)
            (void)procpulse::core::matches(f, p);
    return 0;
}
