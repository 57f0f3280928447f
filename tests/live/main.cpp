/** live_tests: the collector on the real /proc, against child processes the tests start. */
#define BOOST_TEST_MODULE live
#include <boost/test/unit_test.hpp>
