#include "core/merge_patch.hpp"

#include <boost/json/object.hpp>

namespace procpulse::core {

namespace json = boost::json;

std::optional<json::value> merge_diff(const json::value& before, const json::value& after) {
    if (!before.is_object() || !after.is_object()) {
        if (before == after) return std::nullopt;
        return after;
    }
    const auto& b = before.get_object();
    const auto& a = after.get_object();
    json::object patch;
    for (const auto& kv : b) {
        if (!a.contains(kv.key()) && !kv.value().is_null()) patch[kv.key()] = nullptr;
    }
    for (const auto& kv : a) {
        const json::value* old = b.if_contains(kv.key());
        if (kv.value().is_null()) {
            if (old && !old->is_null()) patch[kv.key()] = nullptr;
            continue;
        }
        if (!old || old->is_null()) {
            patch[kv.key()] = kv.value();
            continue;
        }
        if (auto d = merge_diff(*old, kv.value())) patch[kv.key()] = std::move(*d);
    }
    if (patch.empty()) return std::nullopt;
    return json::value(std::move(patch));
}

void merge_apply(json::value& target, const json::value& patch) {
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (!target.is_object()) target = json::object();
    auto& t = target.get_object();
    for (const auto& kv : patch.get_object()) {
        if (kv.value().is_null()) {
            t.erase(kv.key());
        } else if (kv.value().is_object()) {
            merge_apply(t[kv.key()], kv.value());
        } else {
            t[kv.key()] = kv.value();
        }
    }
}

} // namespace procpulse::core
