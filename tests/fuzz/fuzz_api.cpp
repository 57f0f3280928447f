// libFuzzer target: the Beast-free REST router, http::handle_api, over a fixture API (snapshots,
// history, watch list, alert rules). Input: "METHOD\nTARGET\nBODY"; every request the router takes
// is answered with a JSON body.
#include "support.hpp"

#include "http/api.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fuzz = procpulse::fuzz;
    std::string_view in = fuzz::text(data, size);
    std::size_t nl = in.find('\n');
    std::string_view method = in.substr(0, nl);
    std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    nl = rest.find('\n');
    std::string_view target = rest.substr(0, nl);
    std::string_view body = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    static fuzz::api_fixture api;
    api.reset();
    // Twice: the second request sees the watch list and rules the first one changed.
    for (int i = 0; i < 2; ++i) {
        auto r = procpulse::http::handle_api(method, target, body, api.ctx);
        if (!r) return 0;
        boost::system::error_code ec;
        boost::json::parse(r->body, ec);
        if (ec || r->status < 200 || r->status > 599) std::abort();
    }
    return 0;
}
