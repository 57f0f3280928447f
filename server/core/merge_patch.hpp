#pragma once
/** RFC 7396 JSON Merge Patch: computing the patch between two documents, and applying one. */
#include <boost/json/value.hpp>

#include <optional>

namespace procpulse::core {

/**
 * The merge patch that turns `before` into `after`, or nullopt when they are equal.
 * Members of `before` missing from `after` become null; a member whose value is null in `after`
 * also becomes null (merge patch cannot carry a null value, so readers treat absent as null).
 * Both arguments must be objects for a member-wise patch; otherwise the patch is `after` itself.
 */
std::optional<boost::json::value> merge_diff(const boost::json::value& before,
                                             const boost::json::value& after);

/** Applies a merge patch to target in place (RFC 7396 section 2). */
void merge_apply(boost::json::value& target, const boost::json::value& patch);

} // namespace procpulse::core
