#pragma once
/**
 * JSON text for everything procpulse sends. Like boost::json::serialize, except that numbers are
 * written the way people and JavaScript write them: 2.4 (not 2.4E0), 1795653000.948 (not
 * 1.795653000948E9). A double that holds a whole number keeps a ".0" so that it parses back as a
 * double. Pure.
 */
#include <boost/json/value.hpp>

#include <string>

namespace procpulse::protocol {

/** Appends the JSON text of v to out. */
void append_json(std::string& out, const boost::json::value& v);

/** The JSON text of v. */
std::string to_json(const boost::json::value& v);

} // namespace procpulse::protocol
