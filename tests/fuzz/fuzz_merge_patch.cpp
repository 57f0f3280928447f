// libFuzzer target: JSON merge patch (RFC 7396). Input: a JSON array [A, B, …]. With two values:
// applying merge_diff(A, B) to A gives B (members that are null count as absent), and applying a
// patch twice gives what applying it once gave (B used as a patch to A).
#include "support.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace {

namespace json = boost::json;

/** The value with null object members dropped, at every depth of objects (not inside arrays). */
json::value without_nulls(const json::value& v) {
    if (!v.is_object()) return v;
    json::object out;
    for (const auto& kv : v.get_object())
        if (!kv.value().is_null()) out[kv.key()] = without_nulls(kv.value());
    return out;
}

/** Whether a NaN is anywhere in v (Boost.JSON 1.81 reads "0e400" as NaN, which equals nothing). */
bool has_nan(const json::value& v) {
    if (v.is_double()) return std::isnan(v.get_double());
    if (v.is_array()) return std::any_of(v.get_array().begin(), v.get_array().end(), has_nan);
    if (v.is_object())
        return std::any_of(v.get_object().begin(), v.get_object().end(),
                           [](const auto& kv) { return has_nan(kv.value()); });
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace core = procpulse::core;
    boost::system::error_code ec;
    json::value v = json::parse(procpulse::fuzz::text(data, size), ec);
    if (ec || !v.is_array() || v.get_array().size() < 2 || has_nan(v)) return 0;
    const json::value& a = v.get_array()[0];
    const json::value& b = v.get_array()[1];

    json::value patched = a;
    if (auto d = core::merge_diff(a, b)) core::merge_apply(patched, *d);
    if (without_nulls(patched) != without_nulls(b)) std::abort();

    json::value once = a;
    core::merge_apply(once, b);
    json::value twice = once;
    core::merge_apply(twice, b);
    if (once != twice) std::abort();
    return 0;
}
