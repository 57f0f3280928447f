/** protocol_tests: merge patch, history, client and server messages, sessions, HTTP pieces. */
#define BOOST_TEST_MODULE protocol
#include <boost/test/unit_test.hpp>
