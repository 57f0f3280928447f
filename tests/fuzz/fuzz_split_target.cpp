// libFuzzer target: http::split_target over any request target. Decoding only shortens: the path
// and every query name and value are at most as long as the text they came from.
#include "support.hpp"

#include "http/api.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view target = procpulse::fuzz::text(data, size);
    auto tp = procpulse::http::split_target(target);
    std::size_t total = tp.path.size();
    for (const auto& [k, v] : tp.query)
        total += k.size() + v.size();
    if (total > target.size()) std::abort();
    if (!tp.query.empty()) (void)tp.param(tp.query.front().first);
    return 0;
}
