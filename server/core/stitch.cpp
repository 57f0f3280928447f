#include "core/stitch.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace procpulse::core {

namespace {

/** Appends the points of `b` (all later than those of `a`) to `a`. */
void append(series& a, series&& b) {
    // Per-core CPU (memory only): points of a part without it are gaps, so columns stay aligned.
    const std::size_t had = a.t.size(), adds = b.t.size();
    if (b.per_core.size() > a.per_core.size())
        a.per_core.resize(b.per_core.size(), std::vector<std::optional<double>>(had));
    for (std::size_t c = 0; c < a.per_core.size(); ++c) {
        if (c < b.per_core.size())
            a.per_core[c].insert(a.per_core[c].end(), b.per_core[c].begin(), b.per_core[c].end());
        else
            a.per_core[c].resize(had + adds);
    }
    a.t.insert(a.t.end(), b.t.begin(), b.t.end());
    for (std::size_t c = 0; c < a.values.size() && c < b.values.size(); ++c)
        a.values[c].insert(a.values[c].end(), std::make_move_iterator(b.values[c].begin()),
                           std::make_move_iterator(b.values[c].end()));
}

/** Keeps the points with from <= t < before (the sources answer inclusive ranges). */
void clip(series& s, double from, double before) {
    std::size_t lo = 0, hi = s.t.size();
    while (lo < hi && s.t[lo] < from)
        ++lo;
    while (hi > lo && s.t[hi - 1] >= before)
        --hi;
    if (lo == 0 && hi == s.t.size()) return;
    s.t = std::vector<double>(s.t.begin() + static_cast<std::ptrdiff_t>(lo),
                              s.t.begin() + static_cast<std::ptrdiff_t>(hi));
    for (auto* cols : {&s.values, &s.per_core})
        for (auto& col : *cols)
            col = std::vector<std::optional<double>>(col.begin() + static_cast<std::ptrdiff_t>(lo),
                                                     col.begin() + static_cast<std::ptrdiff_t>(hi));
}

} // namespace

std::optional<series> stitch(std::optional<series> memory, const std::vector<tier>& tiers,
                             double from, double to, double now, const tier_reader& read,
                             std::size_t columns) {
    // Parts from newest to oldest; `before` is where the part already served begins.
    std::vector<series> parts;
    double before = to;
    bool inclusive_to = true; // the first source read may include `to` itself
    if (memory && !memory->t.empty()) {
        clip(*memory, from, std::nextafter(to, to + 1.0));
        if (!memory->t.empty()) {
            before = memory->t.front();
            inclusive_to = false;
            parts.push_back(std::move(*memory));
        }
    }
    if (read) {
        for (const auto& tr : tiers) {
            const double reach = std::max(from, now - static_cast<double>(tr.keep_ms) / 1000.0);
            const double end = inclusive_to ? std::nextafter(before, before + 1.0) : before;
            if (reach >= end) continue;
            auto got = read(tr.step_ms, reach, end);
            if (!got || got->t.empty()) continue;
            clip(*got, reach, end);
            if (got->t.empty()) continue;
            before = got->t.front();
            inclusive_to = false;
            parts.push_back(std::move(*got));
        }
    }
    if (parts.empty()) return std::nullopt;
    series out;
    out.values.resize(columns);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
        append(out, std::move(*it));
    return out;
}

} // namespace procpulse::core
