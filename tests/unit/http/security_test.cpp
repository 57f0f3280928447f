// Host, Origin and token checks (DNS rebinding, cross-site WebSocket, credentials).
#include "http/security.hpp"

#include <boost/test/unit_test.hpp>

namespace procpulse::http {
namespace {

BOOST_AUTO_TEST_SUITE(security)

BOOST_AUTO_TEST_CASE(host_must_name_this_server_with_its_port) {
    const listen_address a{"127.0.0.1", 8080};
    for (const char* ok :
         {"127.0.0.1:8080", "localhost:8080", "LocalHost:8080", "[::1]:8080", " localhost:8080 "})
        BOOST_TEST(host_allowed(ok, a), ok);
    for (const char* bad :
         {"localhost:8081", "localhost", "127.0.0.1", "evil.example:8080", "evil.example",
          "127.0.0.1.evil.example:8080", "localhost.evil.example:8080", "", ":8080", "[::1]",
          "[::1:8080", "[::1]x8080", "localhost:", "localhost:80a", "localhost:99999",
          "localhost:123456", "10.0.0.1:8080", "[::2]:8080", "[::ffff:127.0.0.1]:8080"})
        BOOST_TEST(!host_allowed(bad, a), '"' << bad << '"');
}

BOOST_AUTO_TEST_CASE(ipv6_listen_address) {
    const listen_address a{"::1", 9000};
    BOOST_TEST(host_allowed("[::1]:9000", a));
    BOOST_TEST(host_allowed("localhost:9000", a));
    BOOST_TEST(host_allowed("127.0.0.1:9000", a));
    BOOST_TEST(!host_allowed("[::1]:9001", a));
    BOOST_TEST(!host_allowed("[::1]", a));
    BOOST_TEST(!host_allowed("[fe80::1]:9000", a));
}

BOOST_AUTO_TEST_CASE(port_80_may_be_left_out_and_names_compare_without_case) {
    BOOST_TEST(host_allowed("localhost", {"127.0.0.1", 80}));
    BOOST_TEST(host_allowed("localhost:80", {"127.0.0.1", 80}));
    BOOST_TEST(host_allowed("BOX.lan:8080", {"box.LAN", 8080}));
    BOOST_TEST(!host_allowed("other.lan:8080", {"box.lan", 8080}));
}

BOOST_AUTO_TEST_CASE(wildcard_listen_addresses_accept_any_host) {
    BOOST_TEST(host_allowed("anything.example:1", {"0.0.0.0", 8080}));
    BOOST_TEST(host_allowed("anything.example", {"::", 8080}));
}

BOOST_AUTO_TEST_CASE(origin_must_be_the_page_itself_or_allowed) {
    const std::vector<std::string> none;
    BOOST_TEST(origin_allowed(std::nullopt, "127.0.0.1:8080", none)); // not a browser
    BOOST_TEST(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", none));
    BOOST_TEST(origin_allowed("HTTP://LOCALHOST:8080", "localhost:8080", none));
    BOOST_TEST(!origin_allowed("http://127.0.0.1:8081", "127.0.0.1:8080", none));
    BOOST_TEST(!origin_allowed("https://127.0.0.1:8080", "127.0.0.1:8080", none));
    BOOST_TEST(!origin_allowed("http://evil.example", "127.0.0.1:8080", none));
    BOOST_TEST(!origin_allowed("null", "127.0.0.1:8080", none));
    BOOST_TEST(!origin_allowed("", "127.0.0.1:8080", none));
    const std::vector<std::string> allowed{"https://Dash.example"};
    BOOST_TEST(origin_allowed("https://dash.example", "127.0.0.1:8080", allowed));
    BOOST_TEST(!origin_allowed("https://dash.example.evil", "127.0.0.1:8080", allowed));
}

BOOST_AUTO_TEST_CASE(no_token_configured_means_everyone) {
    BOOST_TEST(authorized({}, std::nullopt));
    BOOST_TEST(authorized({"Bearer whatever", std::nullopt, std::nullopt}, std::nullopt));
}

BOOST_AUTO_TEST_CASE(bearer_header) {
    const std::optional<std::string> token = "s3cret";
    auto auth = [&](const char* h) { return authorized({h, std::nullopt, std::nullopt}, token); };
    BOOST_TEST(auth("Bearer s3cret"));
    BOOST_TEST(auth("bearer s3cret"));
    BOOST_TEST(auth("  Bearer s3cret  "));
    for (const char* bad : {"Bearer wrong", "Bearer s3cre", "Bearer s3cretX", "Bearer ", "Bearer",
                            "Basic s3cret", "s3cret", "Bearers3cret", ""})
        BOOST_TEST(!auth(bad), '"' << bad << '"');
    BOOST_TEST(!authorized({}, token));
}

BOOST_AUTO_TEST_CASE(token_cookie) {
    const std::optional<std::string> token = "s3cret";
    auto auth = [&](const char* c) { return authorized({std::nullopt, c, std::nullopt}, token); };
    BOOST_TEST(auth("procpulse_token=s3cret"));
    BOOST_TEST(auth("theme=dark; procpulse_token=s3cret; lang=en"));
    BOOST_TEST(!auth("procpulse_token=wrong"));
    BOOST_TEST(!auth("xprocpulse_token=s3cret"));
    BOOST_TEST(!auth("other=s3cret"));
    BOOST_TEST(!auth("procpulse_token="));
    BOOST_TEST(!auth(""));
}

BOOST_AUTO_TEST_CASE(websocket_subprotocol) {
    const std::optional<std::string> token = "s3cret";
    auto auth = [&](const char* p) { return authorized({std::nullopt, std::nullopt, p}, token); };
    BOOST_TEST(auth("procpulse.v1, bearer.s3cret"));
    BOOST_TEST(auth("bearer.s3cret"));
    BOOST_TEST(!auth("procpulse.v1"));
    BOOST_TEST(!auth("procpulse.v1, bearer.wrong"));
    BOOST_TEST(!auth("bearer.s3cret.extra"));
    BOOST_TEST(!auth("Bearer s3cret"));
}

BOOST_AUTO_TEST_CASE(any_one_valid_credential_is_enough) {
    const std::optional<std::string> token = "s3cret";
    BOOST_TEST(authorized({"Bearer wrong", "procpulse_token=s3cret", std::nullopt}, token));
    BOOST_TEST(!authorized({"Bearer wrong", "procpulse_token=bad", "bearer.nope"}, token));
}

BOOST_AUTO_TEST_CASE(constant_time_comparison_is_a_comparison) {
    // Timing is not asserted (no timing tests); the result must be exact for every shape.
    BOOST_TEST(equal_constant_time("", ""));
    BOOST_TEST(equal_constant_time("abc", "abc"));
    BOOST_TEST(!equal_constant_time("abc", "abd"));
    BOOST_TEST(!equal_constant_time("abc", "ab"));
    BOOST_TEST(!equal_constant_time("ab", "abc"));
    BOOST_TEST(!equal_constant_time("", "a"));
    BOOST_TEST(!equal_constant_time("a", ""));
    BOOST_TEST(!equal_constant_time(std::string_view("a\0", 2), "a"));
    BOOST_TEST(!equal_constant_time("xbc", "abc"));
}

BOOST_AUTO_TEST_CASE(subprotocol_lists) {
    BOOST_TEST(offers_subprotocol("procpulse.v1", "procpulse.v1"));
    BOOST_TEST(offers_subprotocol("bearer.x , procpulse.v1", "procpulse.v1"));
    BOOST_TEST(!offers_subprotocol("procpulse.v2", "procpulse.v1"));
    BOOST_TEST(!offers_subprotocol("procpulse.v1x", "procpulse.v1"));
    BOOST_TEST(!offers_subprotocol("", "procpulse.v1"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::http
