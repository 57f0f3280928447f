/** procfs_tests: the /proc parsers and root/pid_dir, on strings and the committed fixture tree. */
#define BOOST_TEST_MODULE procfs
#include <boost/test/unit_test.hpp>
