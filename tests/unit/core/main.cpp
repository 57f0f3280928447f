/** core_tests: collector, rates, process model, config and records, on fixture and temp trees. */
#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>
