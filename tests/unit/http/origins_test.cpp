// CORS for allowed origins, preflight answers, and the --allow-embed policy.
#include "http/origins.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace procpulse::http {
namespace {

std::string value_of(const std::vector<header_field>& h, std::string_view name) {
    auto it = std::find_if(h.begin(), h.end(), [&](const auto& f) { return f.first == name; });
    return it == h.end() ? std::string("<absent>") : it->second;
}

bool has(const std::optional<std::string>& o) {
    return o.has_value();
}

const std::vector<std::string> allowed{"http://127.0.0.1:5173"};

BOOST_AUTO_TEST_SUITE(origins)

BOOST_AUTO_TEST_CASE(allowed_origin_gets_its_origin_echoed_on_api_and_client) {
    for (const char* path : {"/api/system", "/api/processes/12/history", "/procpulse-client.js"}) {
        auto h =
            cors_headers({"GET", path, "http://127.0.0.1:5173", "127.0.0.1:8080", {}}, allowed);
        BOOST_TEST(value_of(h, "Access-Control-Allow-Origin") == "http://127.0.0.1:5173", path);
        BOOST_TEST(value_of(h, "Vary") == "Origin", path);
    }
}

BOOST_AUTO_TEST_CASE(foreign_origin_gets_no_allow_origin) {
    auto h = cors_headers({"GET", "/api/system", "http://127.0.0.1:6000", "127.0.0.1:8080", {}},
                          allowed);
    BOOST_TEST(value_of(h, "Access-Control-Allow-Origin") == "<absent>");
    BOOST_TEST(value_of(h, "Vary") == "Origin"); // caches must still keep origins apart
    h = cors_headers({"GET", "/api/system", "null", "127.0.0.1:8080", {}}, allowed);
    BOOST_TEST(value_of(h, "Access-Control-Allow-Origin") == "<absent>");
}

BOOST_AUTO_TEST_CASE(other_paths_get_no_cors_headers) {
    for (const char* path : {"/", "/index.html", "/embed", "/metrics", "/ws", "/apix"})
        BOOST_TEST(
            cors_headers({"GET", path, "http://127.0.0.1:5173", "127.0.0.1:8080", {}}, allowed)
                .empty(),
            path);
}

BOOST_AUTO_TEST_CASE(preflight_of_an_allowed_origin_names_methods_headers_and_max_age) {
    cors_request r{"OPTIONS", "/api/alerts/rules", "http://127.0.0.1:5173", "127.0.0.1:8080",
                   "POST"};
    BOOST_TEST(is_preflight(r));
    auto a = preflight(r, allowed);
    BOOST_TEST(a.status == 204u);
    BOOST_TEST(value_of(a.headers, "Access-Control-Allow-Origin") == "http://127.0.0.1:5173");
    BOOST_TEST(value_of(a.headers, "Access-Control-Allow-Methods").find("POST") !=
               std::string::npos);
    BOOST_TEST(value_of(a.headers, "Access-Control-Allow-Headers").find("Authorization") !=
               std::string::npos);
    BOOST_TEST(value_of(a.headers, "Access-Control-Max-Age") == "600");
}

BOOST_AUTO_TEST_CASE(preflight_of_a_foreign_origin_is_refused_with_a_reason) {
    auto a = preflight({"OPTIONS", "/api/system", "http://evil.example", "127.0.0.1:8080", "GET"},
                       allowed);
    BOOST_TEST(a.status == 403u);
    BOOST_TEST(a.headers.empty());
    BOOST_TEST(a.error.find("--allow-origin http://evil.example") != std::string::npos, a.error);
    a = preflight({"OPTIONS", "/api/system", "http://127.0.0.1:5173", "127.0.0.1:8080", "PUT"},
                  allowed);
    BOOST_TEST(a.status == 403u);
    BOOST_TEST(a.error.find("PUT") != std::string::npos, a.error);
    a = preflight({"OPTIONS", "/metrics", "http://127.0.0.1:5173", "127.0.0.1:8080", "GET"},
                  allowed);
    BOOST_TEST(a.status == 404u);
    BOOST_TEST(!is_preflight({"OPTIONS", "/api/system", std::nullopt, "127.0.0.1:8080", "GET"}));
    BOOST_TEST(!is_preflight({"OPTIONS", "/api/system", "http://a.b", "127.0.0.1:8080", {}}));
}

BOOST_AUTO_TEST_CASE(origins_normalize) {
    BOOST_TEST(*normalize_origin("http://127.0.0.1:5173") == "http://127.0.0.1:5173");
    BOOST_TEST(*normalize_origin(" HTTP://Dash.Example:80/ ") == "http://dash.example");
    BOOST_TEST(*normalize_origin("https://dash.example:443") == "https://dash.example");
    BOOST_TEST(*normalize_origin("http://[::1]:8080") == "http://[::1]:8080");
    for (const char* bad : {"", "127.0.0.1:5173", "ftp://x", "http://", "http://x/path",
                            "http://x:0", "http://x:99999", "http://x:a", "http://a b",
                            "http://u@x", "'self'", "http://x?q", "http://*.x"})
        BOOST_TEST(!normalize_origin(bad), '"' << bad << '"');
}

BOOST_AUTO_TEST_CASE(allow_embed_accepts_plain_origins_and_csp_sources) {
    BOOST_TEST(frame_ancestors_sources("http://127.0.0.1:5173").sources ==
               "'self' http://127.0.0.1:5173");
    BOOST_TEST(
        frame_ancestors_sources("http://127.0.0.1:5173/, HTTPS://Dash.Example:443").sources ==
        "'self' http://127.0.0.1:5173 https://dash.example");
    BOOST_TEST(frame_ancestors_sources("'self' https://*.example.com").sources ==
               "'self' https://*.example.com");
    BOOST_TEST(frame_ancestors_sources("https: http://a.b:*").sources ==
               "'self' https: http://a.b:*");
    BOOST_TEST(frame_ancestors_sources("'none'").sources == "'none'");
    BOOST_TEST(frame_ancestors_sources("'self'").sources == "'self'");
    BOOST_TEST(frame_ancestors_sources("dash.example 'self' dash.example").sources ==
               "dash.example 'self'");
}

BOOST_AUTO_TEST_CASE(allow_embed_names_the_bad_item) {
    for (const char* bad : {"'unsafe-inline'", "http://a;script-src *", "self", "http://a:x",
                            "'none' http://a", "", " , ", "http://a b'c"}) {
        auto p = frame_ancestors_sources(bad);
        BOOST_TEST(!p.error.empty(), '"' << bad << '"');
        BOOST_TEST(p.sources.empty(), '"' << bad << '"');
    }
    BOOST_TEST(frame_ancestors_sources("http://ok.example 'unsafe-inline'")
                   .error.find("'unsafe-inline'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_frame_the_browser_will_block_is_named) {
    const std::string policy = "'self' http://127.0.0.1:5173";
    auto note = embed_refusal("/embed", "iframe", "http://127.0.0.1:6000/page.html",
                              "127.0.0.1:8080", policy);
    BOOST_TEST_REQUIRE(note.has_value());
    BOOST_TEST(note->find("framed by a page of http://127.0.0.1:6000") != std::string::npos, *note);
    BOOST_TEST(!has(
        embed_refusal("/embed", "iframe", "http://127.0.0.1:5173/x", "127.0.0.1:8080", policy)));
    BOOST_TEST(!has(
        embed_refusal("/embed", "iframe", "http://127.0.0.1:8080/", "127.0.0.1:8080", policy)));
    BOOST_TEST(!has(
        embed_refusal("/embed", "document", "http://127.0.0.1:6000/", "127.0.0.1:8080", policy)));
    BOOST_TEST(!has(embed_refusal("/embed", "iframe", std::nullopt, "127.0.0.1:8080", policy)));
    BOOST_TEST(!has(embed_refusal("/embed", "iframe", "http://127.0.0.1:6000/", "127.0.0.1:8080",
                                  "'self' https://*.example.com"))); // not judged
    BOOST_TEST(
        has(embed_refusal("/", "iframe", "http://127.0.0.1:8080/", "127.0.0.1:8080", "'none'")));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::http
