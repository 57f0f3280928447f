// libFuzzer target: the query parameters of the history routes (from, to, step, start, metrics)
// over an in-memory history. The input is the query string, tried on the history of a process,
// of a process by pid and start, and of the system.
#include "support.hpp"

#include "http/api.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fuzz = procpulse::fuzz;
    static fuzz::api_fixture api; // history queries change nothing
    std::string query(fuzz::text(data, size));
    for (const char* path : {"/api/processes/42/history?",
                             "/api/processes/1201/history?start=123456&", "/api/system/history?"}) {
        auto r = procpulse::http::handle_api("GET", path + query, "", api.ctx);
        if (!r) std::abort();
        boost::system::error_code ec;
        boost::json::parse(r->body, ec);
        if (ec || (r->status != 200 && r->status != 400 && r->status != 404)) std::abort();
    }
    return 0;
}
