// Static files of the web app: lookups under a root, client-side routes, the embed page, the
// placeholder page, and requests that try to leave the root.
#include "http/static_files.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>

namespace procpulse::http {
namespace {

namespace fs = std::filesystem;

/** A temporary web root: dist/{index.html, embed.html, assets/app.js, …} and a secret beside it. */
struct web_root {
    fs::path base;
    fs::path dist;

    explicit web_root(bool with_embed = true) {
        std::random_device rd;
        base = fs::temp_directory_path() / ("procpulse-static-" + std::to_string(rd()));
        dist = base / "dist";
        fs::create_directories(dist / "assets");
        write(dist / "index.html", "<!doctype html><title>app</title>");
        if (with_embed) write(dist / "embed.html", "<!doctype html><title>embed</title>");
        write(dist / "assets" / "app.js", "console.log(1)");
        write(dist / "assets" / "app.css", "body{}");
        write(dist / "favicon.svg", "<svg/>");
        write(base / "secret.txt", "top secret");
    }
    ~web_root() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    static void write(const fs::path& p, const std::string& text) {
        std::ofstream(p, std::ios::binary) << text;
    }
};

BOOST_AUTO_TEST_SUITE(static_files_tests)

BOOST_AUTO_TEST_CASE(files_under_the_root_with_their_types) {
    web_root w;
    static_files files(w.dist.string());
    auto index = files.lookup("/");
    BOOST_TEST_REQUIRE(index.has_value());
    BOOST_TEST(index->body == "<!doctype html><title>app</title>");
    BOOST_TEST(index->content_type == "text/html; charset=utf-8");
    BOOST_TEST(index->html);
    auto js = files.lookup("/assets/app.js");
    BOOST_TEST_REQUIRE(js.has_value());
    BOOST_TEST(js->body == "console.log(1)");
    BOOST_TEST(js->content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(!js->html);
    BOOST_TEST(files.lookup("/assets/app.css")->content_type == "text/css; charset=utf-8");
    BOOST_TEST(files.lookup("/favicon.svg")->content_type == "image/svg+xml");
    BOOST_TEST(files.lookup("/index.html")->body == index->body);
}

BOOST_AUTO_TEST_CASE(client_side_routes_get_the_app) {
    web_root w;
    static_files files(w.dist.string());
    for (const char* route : {"/process/4242", "/compare", "/system", "/assets/nothing-here"}) {
        auto f = files.lookup(route);
        BOOST_TEST_REQUIRE(f.has_value(), route);
        BOOST_TEST(f->body == "<!doctype html><title>app</title>", route);
    }
    // A missing file with an extension is a 404, not the app.
    BOOST_TEST(!files.lookup("/assets/missing.js").has_value());
    // A directory is not a file: the app (a route), never an empty body.
    auto dir = files.lookup("/assets");
    BOOST_TEST_REQUIRE(dir.has_value());
    BOOST_TEST(dir->body == "<!doctype html><title>app</title>");
    BOOST_TEST(!files.lookup("/robots.txt").has_value());
}

BOOST_AUTO_TEST_CASE(embed_page_falls_back_to_the_app) {
    {
        web_root w;
        auto f = static_files(w.dist.string()).lookup("/embed");
        BOOST_TEST_REQUIRE(f.has_value());
        BOOST_TEST(f->body == "<!doctype html><title>embed</title>");
        BOOST_TEST(f->html);
    }
    web_root w(false);
    auto f = static_files(w.dist.string()).lookup("/embed");
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->body == "<!doctype html><title>app</title>");
}

BOOST_AUTO_TEST_CASE(nothing_outside_the_root) {
    web_root w;
    static_files files(w.dist.string());
    for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/assets/../index.html",
                          "/./index.html", "/..", "/assets/..", "//etc/passwd.txt",
                          "/assets\\..\\..\\secret.txt", "relative.txt", ""}) {
        auto f = files.lookup(p);
        if (f) BOOST_TEST(f->body.find("secret") == std::string::npos, p);
        BOOST_TEST((!f || f->body == "<!doctype html><title>app</title>"), p);
    }
    BOOST_TEST(!files.lookup("/../secret.txt").has_value());
    BOOST_TEST(!files.lookup(std::string_view("/index.html\0.js", 15)).has_value());
}

BOOST_AUTO_TEST_CASE(placeholder_page_without_a_root) {
    static_files files("");
    for (const char* p : {"/", "/index.html", "/embed"}) {
        auto f = files.lookup(p);
        BOOST_TEST_REQUIRE(f.has_value(), p);
        BOOST_TEST(f->html);
        BOOST_TEST(f->body.find("procpulse") != std::string::npos);
    }
    BOOST_TEST(!files.lookup("/assets/app.js").has_value());
    BOOST_TEST(!files.lookup("/process/1").has_value());
}

BOOST_AUTO_TEST_CASE(mime_types_by_extension) {
    BOOST_TEST(mime_type("a.html") == "text/html; charset=utf-8");
    BOOST_TEST(mime_type("a.mjs") == "text/javascript; charset=utf-8");
    BOOST_TEST(mime_type("a.map") == "application/json");
    BOOST_TEST(mime_type("a.json") == "application/json");
    BOOST_TEST(mime_type("a.png") == "image/png");
    BOOST_TEST(mime_type("a.ico") == "image/x-icon");
    BOOST_TEST(mime_type("a.woff2") == "font/woff2");
    BOOST_TEST(mime_type("a.txt") == "text/plain; charset=utf-8");
    BOOST_TEST(mime_type("a.exe") == "application/octet-stream");
    BOOST_TEST(mime_type("README") == "application/octet-stream");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::http
