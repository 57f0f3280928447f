#pragma once
/** Helpers for per-process state kept in vectors sorted by key and walked in step with a sweep. */
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace procpulse::core {

/**
 * Ends one merge walk: keeps the first `keep` entries of `v` (the walk moved the survivors
 * there, in order), then merges in `fresh` (sorted, new keys) so that `v` stays sorted by `less`.
 */
template <class T, class Less>
void finish_merge_walk(std::vector<T>& v, std::size_t keep, std::vector<T>&& fresh, Less less) {
    v.resize(keep);
    if (fresh.empty()) return;
    const auto mid = static_cast<std::ptrdiff_t>(v.size());
    v.insert(v.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
    std::inplace_merge(v.begin(), v.begin() + mid, v.end(), less);
}

} // namespace procpulse::core
