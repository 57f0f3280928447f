#include "config/config.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

namespace procpulse::config {
namespace {

/** parse_args on a list of arguments (argv[0] added). */
parse_result parse(std::vector<std::string> args) {
    args.insert(args.begin(), "procpulse");
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    return parse_args(static_cast<int>(argv.size()), argv.data());
}

BOOST_AUTO_TEST_SUITE(config_tests)

BOOST_AUTO_TEST_CASE(durations) {
    const std::vector<std::pair<std::string, long long>> good = {
        {"250ms", 250}, {"1s", 1000},    {"1.5s", 1500},  {"100", 100},     {"0.25s", 250},
        {"2m", 120000}, {"15m", 900000}, {"1h", 3600000}, {"1000ms", 1000}, {"0", 0},
    };
    for (const auto& [text, ms] : good) {
        BOOST_TEST_CONTEXT(text) {
            auto d = parse_duration(text);
            BOOST_TEST_REQUIRE(d.has_value());
            BOOST_TEST(d->count() == ms);
        }
    }
    for (const char* text :
         {"", "s", "ms", "-1s", "1x", "1 s", "1.5.2s", "abc", "1sec", "inf", "nan"}) {
        BOOST_TEST_CONTEXT("'" << text << "'") {
            BOOST_TEST(!parse_duration(text).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(defaults) {
    auto r = parse({});
    BOOST_TEST(r.error.empty());
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->interval.count() == 1000);
    BOOST_TEST(r.cfg->proc_root == "/proc");
    BOOST_TEST(r.cfg->listen_host == "127.0.0.1");
    BOOST_TEST(r.cfg->listen_port == 8080);
    BOOST_TEST(r.cfg->keep_open);
    BOOST_TEST(!r.cfg->once);
    BOOST_TEST(!r.help);
}

BOOST_AUTO_TEST_CASE(interval_accepts_units_and_has_a_minimum) {
    const std::vector<std::pair<std::vector<std::string>, long long>> good = {
        {{"--interval", "250ms"}, 250}, {{"--interval", "1.5s"}, 1500}, {{"--interval=2s"}, 2000},
        {{"--interval", "100"}, 100},   {{"--interval=100ms"}, 100},
    };
    for (const auto& [args, ms] : good) {
        BOOST_TEST_CONTEXT(args.back()) {
            auto r = parse(args);
            BOOST_TEST(r.error.empty());
            BOOST_TEST_REQUIRE(r.cfg.has_value());
            BOOST_TEST(r.cfg->interval.count() == ms);
        }
    }
    for (const char* v : {"99", "99ms", "0.05s", "0", "fast"}) {
        BOOST_TEST_CONTEXT(v) {
            auto r = parse({"--interval", v});
            BOOST_TEST(!r.cfg.has_value());
            BOOST_TEST(r.error ==
                       "invalid value '" + std::string(v) + "' for --interval (see --help)");
        }
    }
}

BOOST_AUTO_TEST_CASE(other_values) {
    auto r = parse(
        {"--proc-root", "/tmp/fixture", "--no-keep-open", "--listen", "[::1]:9000", "--once"});
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->proc_root == "/tmp/fixture");
    BOOST_TEST(!r.cfg->keep_open);
    BOOST_TEST(r.cfg->listen_host == "::1");
    BOOST_TEST(r.cfg->listen_port == 9000);
    BOOST_TEST(r.cfg->once);
}

BOOST_AUTO_TEST_CASE(bad_flags_give_an_error_text) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
        {{"--bogus"}, "unknown option '--bogus' (see --help)"},
        {{"-x"}, "unknown option '-x' (see --help)"},
        {{"--interval"}, "option --interval needs a value (see --help)"},
        {{"--once=yes"}, "unknown option '--once' (see --help)"},
        {{"--listen", "localhost"}, "invalid value 'localhost' for --listen (see --help)"},
        {{"--listen", "127.0.0.1:70000"},
         "invalid value '127.0.0.1:70000' for --listen (see --help)"},
        {{"--threads", "0"}, "invalid value '0' for --threads (see --help)"},
        {{"--log-level", "loud"}, "invalid value 'loud' for --log-level (see --help)"},
        {{"--once", "--watch"}, "--once and --watch cannot be combined"},
    };
    for (const auto& [args, message] : bad) {
        BOOST_TEST_CONTEXT(args.front()) {
            auto r = parse(args);
            BOOST_TEST(!r.cfg.has_value());
            BOOST_TEST(r.error == message);
        }
    }
}

BOOST_AUTO_TEST_CASE(allowed_origins_are_normalized_and_checked_at_start) {
    auto r =
        parse({"--allow-origin", "HTTP://127.0.0.1:5173/", "--allow-origin", "https://d.example"});
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->allow_origins ==
                   (std::vector<std::string>{"http://127.0.0.1:5173", "https://d.example"}),
               boost::test_tools::per_element());
    r = parse({"--allow-origin", "127.0.0.1:5173"});
    BOOST_TEST(!r.cfg.has_value());
    BOOST_TEST(r.error.find("invalid value '127.0.0.1:5173' for --allow-origin: an origin is") ==
                   0u,
               r.error);
}

BOOST_AUTO_TEST_CASE(allow_embed_takes_origins_and_csp_sources_and_names_a_bad_one) {
    BOOST_TEST(parse({}).cfg->allow_embed == "'self'");
    auto r =
        parse({"--allow-embed", "http://127.0.0.1:5173", "--allow-embed", "https://*.example.com"});
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->allow_embed == "'self' http://127.0.0.1:5173 https://*.example.com");
    r = parse({"--allow-embed", "'self' http://a.example"});
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->allow_embed == "'self' http://a.example");
    r = parse({"--allow-embed", "http://a.example;script-src"});
    BOOST_TEST(!r.cfg.has_value());
    BOOST_TEST(r.error.find("'http://a.example;script-src' is neither an origin") !=
                   std::string::npos,
               r.error);
}

BOOST_AUTO_TEST_CASE(actions_are_off_by_default_and_need_a_token_off_loopback) {
    BOOST_TEST(!parse({}).cfg->allow_actions);
    BOOST_TEST(parse({"--allow-actions"}).cfg->allow_actions);
    auto r = parse({"--allow-actions", "--listen", "0.0.0.0:8080", "--token", "t"});
    BOOST_TEST_REQUIRE(r.cfg.has_value());
    BOOST_TEST(r.cfg->allow_actions);
    r = parse({"--allow-actions", "--listen", "0.0.0.0:8080"});
    BOOST_TEST(!r.cfg.has_value());
    BOOST_TEST(r.error.find("refusing --allow-actions on non-loopback address 0.0.0.0") == 0u,
               r.error);
    BOOST_TEST(parse({"--allow-actions", "--listen", "127.0.0.1:0"}).cfg.has_value());
}

BOOST_AUTO_TEST_CASE(non_loopback_listen_requires_a_token) {
    for (const char* addr : {"0.0.0.0:8080", "192.168.1.5:80", "[::]:8080"}) {
        BOOST_TEST_CONTEXT(addr) {
            auto r = parse({"--listen", addr});
            BOOST_TEST(!r.cfg.has_value());
            BOOST_TEST(r.error.find("refusing to listen on non-loopback address") == 0u);
            auto with_token = parse({"--listen", addr, "--token", "s3cret"});
            BOOST_TEST(with_token.error.empty());
            BOOST_TEST_REQUIRE(with_token.cfg.has_value());
            BOOST_TEST_REQUIRE(with_token.cfg->token.has_value());
            BOOST_TEST(*with_token.cfg->token == "s3cret");
        }
    }
    for (const char* addr : {"127.0.0.1:0", "localhost:8080", "[::1]:8080", "127.1.2.3:9"}) {
        BOOST_TEST_CONTEXT(addr) {
            BOOST_TEST(parse({"--listen", addr}).cfg.has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(help_and_version) {
    BOOST_TEST(parse({"--help"}).help);
    BOOST_TEST(parse({"-h"}).help);
    BOOST_TEST(parse({"--version"}).version);
    std::string u = usage();
    for (const char* flag : {"--listen", "--interval", "--proc-root", "--token", "--once",
                             "--watch", "--no-keep-open", "--help"}) {
        BOOST_TEST_CONTEXT(flag) {
            BOOST_TEST(u.find(flag) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::config
