// Boost.JSON compiled into the fuzz targets, instrumented like procpulse_core, so libFuzzer sees
// coverage inside the JSON parser and learns to write valid JSON. These definitions take the place
// of libboost_json's (an executable's own symbols win over a shared library's).
#include <boost/json/src.hpp>
