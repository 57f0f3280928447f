// The binary alone is the product: without --static-dir the server answers with the web app
// compiled into it (or, in a build without Node.js or with -DPROCPULSE_EMBED_WEB_APP=OFF, with
// the placeholder page that says how to build it), gzip or identity, ETag and 304, and the icon.
#include "harness.hpp"

#include "http/static_files.hpp"

#include <boost/test/unit_test.hpp>

using namespace procpulse::test;

namespace {

std::vector<std::string> no_static_dir() {
    return {"--listen", "127.0.0.1:0", "--interval", "200ms", "--db", ":memory:"};
}

} // namespace

BOOST_AUTO_TEST_CASE(the_binary_alone_serves_the_web_app) {
    server_process srv(no_static_dir());
    auto page = http_request(srv.port(), "GET", "/");
    BOOST_TEST(page.status == 200u);
    BOOST_TEST(page.header("Content-Type") == "text/html; charset=utf-8");
    BOOST_TEST(page.header("Cache-Control") == "no-cache");
    BOOST_TEST(page.header("Content-Security-Policy") == "frame-ancestors 'self'");
    BOOST_TEST(page.header("Content-Encoding").empty());
    const std::string etag = page.header("ETag");
    BOOST_TEST(!etag.empty());

    auto icon = http_request(srv.port(), "GET", "/favicon.ico");
    BOOST_TEST(icon.status == 200u);
    BOOST_TEST(icon.header("Content-Type") == "image/svg+xml");
    BOOST_TEST(icon.body.find("<svg") != std::string::npos);

    auto same = http_request(srv.port(), "GET", "/", "", {{"If-None-Match", etag}});
    BOOST_TEST(same.status == 304u);
    BOOST_TEST(same.body.empty());
    BOOST_TEST(same.header("ETag") == etag);
    BOOST_TEST(same.header("Content-Length").empty());

#if PROCPULSE_WEB_APP_EMBEDDED
    BOOST_TEST(srv.log().find("web app not built") == std::string::npos);
    // The built index.html loads the hashed bundle, which the binary has too.
    const std::string tag = "<script type=\"module\" crossorigin src=\"";
    auto at = page.body.find(tag);
    BOOST_TEST_REQUIRE(at != std::string::npos, page.body);
    at += tag.size();
    const std::string src = page.body.substr(at, page.body.find('"', at) - at);
    BOOST_TEST(src.starts_with("/assets/main-"));
    BOOST_TEST(src.ends_with(".js"));

    auto js = http_request(srv.port(), "GET", src);
    BOOST_TEST(js.status == 200u);
    BOOST_TEST(js.header("Content-Type") == "text/javascript; charset=utf-8");
    BOOST_TEST(js.header("Cache-Control") == "public, max-age=31536000, immutable");
    BOOST_TEST(js.header("Content-Encoding").empty());
    BOOST_TEST(js.header("Vary") == "Accept-Encoding");
    BOOST_TEST(js.body.size() > 10000u);

    auto gz = http_request(srv.port(), "GET", src, "", {{"Accept-Encoding", "gzip, br"}});
    BOOST_TEST(gz.status == 200u);
    BOOST_TEST(gz.header("Content-Encoding") == "gzip");
    BOOST_TEST(gz.header("ETag") != js.header("ETag"));
    BOOST_TEST(gz.body.size() < js.body.size() / 2);
    auto inflated = procpulse::http::gunzip(gz.body);
    BOOST_TEST_REQUIRE(inflated.has_value());
    BOOST_TEST(*inflated == js.body);
    auto gz_again =
        http_request(srv.port(), "GET", src, "",
                     {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("ETag")}});
    BOOST_TEST(gz_again.status == 304u);

    auto head = http_request(srv.port(), "HEAD", src);
    BOOST_TEST(head.status == 200u);
    BOOST_TEST(head.body.empty());
    BOOST_TEST(head.header("Content-Length") == std::to_string(js.body.size()));

    // Client-side routes get the app; the embed page is there.
    BOOST_TEST(http_request(srv.port(), "GET", "/process/1").body == page.body);
    BOOST_TEST(http_request(srv.port(), "GET", "/embed").body.find("data-page=\"embed\"") !=
               std::string::npos);
#else
    BOOST_TEST(page.body.find("Web app not built:</strong> install Node 20 and npm, run "
                              "<code>scripts/run.sh</code>") != std::string::npos);
    BOOST_TEST(srv.log().find("web app not built into this binary") != std::string::npos);
#endif
    BOOST_TEST(http_request(srv.port(), "GET", "/assets/missing.js").status == 404u);
    BOOST_TEST(http_request(srv.port(), "GET", "/assets/../index.html").status == 404u);
    BOOST_TEST(srv.terminate(10s) == 0);
}
