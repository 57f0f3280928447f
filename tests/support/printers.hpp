#pragma once
/** How Boost.Test prints procpulse's enums in failure messages (found by argument lookup). */
#include "procfs/root.hpp"

#include <ostream>

namespace procpulse::procfs {

inline std::ostream& boost_test_print_type(std::ostream& o, read_status s) {
    return o << to_string(s);
}

inline std::ostream& boost_test_print_type(std::ostream& o, pid_file f) {
    return o << file_name(f);
}

} // namespace procpulse::procfs
