// Static files of the web app: from a directory (--static-dir) and from an embedded table (gzip or
// identity by Accept-Encoding, ETag per encoding, 304, HEAD, Cache-Control), client-side routes,
// the embed page, the icon, the placeholder page, and requests that try to leave the root. The
// tables this build compiled in are checked too.
#include "http/static_files.hpp"

#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>

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

/** A gzip stream of `text` (zlib, level 9), as embed-assets.mjs stores it. */
std::string gzip(std::string_view text) {
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
    return out;
}

const std::string app_js = "function tick(){return 'tick tick tick tick tick tick tick';}tick();";
const std::string app_js_gz = gzip(app_js);
const std::string index_html = "<!doctype html><script type=module src=/assets/app-1a2b.js>";

/** A table in the shape the generator writes: a page stored raw, a bundle and an icon gzipped. */
const embedded_file table[] = {
    {"index.html", index_html, false, index_html.size(), "\"idx\"", {}},
    {"assets/app-1a2b.js", app_js_gz, true, app_js.size(), "\"js\"", "\"js-gz\""},
    {"favicon.svg", "<svg/>", false, 6, "\"icon\"", {}},
};

static_response get(const static_files& files, std::string_view path,
                    std::string_view accept_encoding = "", std::string_view if_none_match = "",
                    std::string_view method = "GET") {
    auto r = files.serve({method, path, accept_encoding, if_none_match});
    BOOST_TEST_REQUIRE(r.has_value(), path);
    return *r;
}

BOOST_AUTO_TEST_SUITE(static_files_tests)

BOOST_AUTO_TEST_CASE(files_under_the_root_with_their_types) {
    web_root w;
    static_files files(w.dist.string());
    auto index = get(files, "/");
    BOOST_TEST(index.status == 200u);
    BOOST_TEST(index.body == "<!doctype html><title>app</title>");
    BOOST_TEST(index.content_length == index.body.size());
    BOOST_TEST(index.content_type == "text/html; charset=utf-8");
    BOOST_TEST(index.header("Content-Security-Policy") == "frame-ancestors 'self'");
    BOOST_TEST(index.header("Cache-Control") == "no-cache");
    BOOST_TEST(index.header("ETag").size() == 18u);
    BOOST_TEST(index.header("Content-Encoding").empty());
    auto js = get(files, "/assets/app.js", "gzip");
    BOOST_TEST(js.body == "console.log(1)");
    BOOST_TEST(js.content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(js.header("Content-Security-Policy").empty());
    BOOST_TEST(js.header("Cache-Control") == "public, max-age=31536000, immutable");
    BOOST_TEST(js.header("Content-Encoding").empty()); // a directory is served as it is
    BOOST_TEST(js.header("ETag") != index.header("ETag"));
    BOOST_TEST(get(files, "/assets/app.css").content_type == "text/css; charset=utf-8");
    BOOST_TEST(get(files, "/favicon.svg").content_type == "image/svg+xml");
    BOOST_TEST(get(files, "/index.html").body == index.body);
    // The same ETag answers 304 with no body.
    auto again = get(files, "/", "", index.header("ETag"));
    BOOST_TEST(again.status == 304u);
    BOOST_TEST(again.body.empty());
}

BOOST_AUTO_TEST_CASE(client_side_routes_get_the_app) {
    web_root w;
    static_files files(w.dist.string());
    for (const char* route : {"/process/4242", "/compare", "/system", "/assets/nothing-here"})
        BOOST_TEST(get(files, route).body == "<!doctype html><title>app</title>", route);
    // A missing file with an extension is a 404, not the app.
    BOOST_TEST(!files.serve({"GET", "/assets/missing.js"}).has_value());
    // A directory is not a file: the app (a route), never an empty body.
    BOOST_TEST(get(files, "/assets").body == "<!doctype html><title>app</title>");
    BOOST_TEST(!files.serve({"GET", "/robots.txt"}).has_value());
}

BOOST_AUTO_TEST_CASE(embed_page_falls_back_to_the_app) {
    {
        web_root w;
        auto f = get(static_files(w.dist.string()), "/embed");
        BOOST_TEST(f.body == "<!doctype html><title>embed</title>");
        BOOST_TEST(!f.header("Content-Security-Policy").empty());
    }
    web_root w(false);
    BOOST_TEST(get(static_files(w.dist.string()), "/embed").body ==
               "<!doctype html><title>app</title>");
}

BOOST_AUTO_TEST_CASE(nothing_outside_the_root) {
    web_root w;
    static_files files(w.dist.string());
    for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/assets/../index.html",
                          "/./index.html", "/..", "/assets/..", "//etc/passwd.txt",
                          "/assets\\..\\..\\secret.txt", "relative.txt", ""}) {
        auto f = files.serve({"GET", p});
        if (f) BOOST_TEST(f->body.find("secret") == std::string::npos, p);
        BOOST_TEST((!f || f->body == "<!doctype html><title>app</title>"), p);
    }
    BOOST_TEST(!files.serve({"GET", "/../secret.txt"}).has_value());
    BOOST_TEST(!files.serve({"GET", std::string_view("/index.html\0.js", 15)}).has_value());
}

BOOST_AUTO_TEST_CASE(embedded_gzip_or_identity_by_accept_encoding) {
    static_files files("", "'none'", table);
    BOOST_TEST(!files.placeholder());
    auto gz = get(files, "/assets/app-1a2b.js", "br, gzip;q=0.8");
    BOOST_TEST(gz.status == 200u);
    BOOST_TEST(gz.body == app_js_gz);
    BOOST_TEST(gz.content_length == app_js_gz.size());
    BOOST_TEST(gz.header("Content-Encoding") == "gzip");
    BOOST_TEST(gz.header("Vary") == "Accept-Encoding");
    BOOST_TEST(gz.header("ETag") == "\"js-gz\"");
    BOOST_TEST(gz.header("Cache-Control") == "public, max-age=31536000, immutable");
    BOOST_TEST(gz.content_type == "text/javascript; charset=utf-8");
    for (const char* refused : {"", "identity", "gzip;q=0", "br, gzip; q=0.000", "*;q=0"}) {
        auto raw = get(files, "/assets/app-1a2b.js", refused);
        BOOST_TEST(raw.body == app_js, refused);
        BOOST_TEST(raw.content_length == app_js.size(), refused);
        BOOST_TEST(raw.header("Content-Encoding").empty(), refused);
        BOOST_TEST(raw.header("Vary") == "Accept-Encoding", refused);
        BOOST_TEST(raw.header("ETag") == "\"js\"", refused);
    }
    // A file stored as it is goes out so whatever the client accepts.
    auto page = get(files, "/", "gzip");
    BOOST_TEST(page.body == index_html);
    BOOST_TEST(page.header("Content-Encoding").empty());
    BOOST_TEST(page.header("Vary").empty());
    BOOST_TEST(page.header("ETag") == "\"idx\"");
    BOOST_TEST(page.header("Cache-Control") == "no-cache");
    BOOST_TEST(page.header("Content-Security-Policy") == "frame-ancestors 'none'");
}

BOOST_AUTO_TEST_CASE(embedded_etag_answers_304_per_encoding) {
    static_files files("", "'self'", table);
    for (const char* tags : {"\"js-gz\"", "W/\"js-gz\"", "\"old\", \"js-gz\"", "*"}) {
        auto r = get(files, "/assets/app-1a2b.js", "gzip", tags);
        BOOST_TEST(r.status == 304u, tags);
        BOOST_TEST(r.body.empty(), tags);
        BOOST_TEST(r.header("ETag") == "\"js-gz\"", tags);
        BOOST_TEST(r.header("Content-Encoding").empty(), tags);
        BOOST_TEST(r.header("Cache-Control") == "public, max-age=31536000, immutable", tags);
    }
    // The gzip ETag does not validate the identity body, nor the other way round.
    BOOST_TEST(get(files, "/assets/app-1a2b.js", "", "\"js-gz\"").status == 200u);
    BOOST_TEST(get(files, "/assets/app-1a2b.js", "gzip", "\"js\"").status == 200u);
    BOOST_TEST(get(files, "/assets/app-1a2b.js", "", "\"js\"").status == 304u);
    BOOST_TEST(get(files, "/", "", "\"idx\"").status == 304u);
    BOOST_TEST(get(files, "/", "", "\"idx-old\"").status == 200u);
}

BOOST_AUTO_TEST_CASE(embedded_head_has_the_length_and_no_body) {
    static_files files("", "'self'", table);
    auto gz = get(files, "/assets/app-1a2b.js", "gzip", "", "HEAD");
    BOOST_TEST(gz.status == 200u);
    BOOST_TEST(gz.body.empty());
    BOOST_TEST(gz.content_length == app_js_gz.size());
    BOOST_TEST(gz.header("Content-Encoding") == "gzip");
    auto raw = get(files, "/assets/app-1a2b.js", "", "", "HEAD");
    BOOST_TEST(raw.body.empty());
    BOOST_TEST(raw.content_length == app_js.size());
    BOOST_TEST(get(files, "/", "", "", "HEAD").content_length == index_html.size());
}

BOOST_AUTO_TEST_CASE(embedded_routes_icon_and_traversal) {
    static_files files("", "'self'", table);
    auto ico = get(files, "/favicon.ico");
    BOOST_TEST(ico.status == 200u);
    BOOST_TEST(ico.content_type == "image/svg+xml");
    BOOST_TEST(ico.body == "<svg/>");
    BOOST_TEST(ico.header("Cache-Control") == "no-cache");
    BOOST_TEST(get(files, "/favicon.svg").body == "<svg/>");
    for (const char* route : {"/process/4242", "/embed", "/compare", "/assets"})
        BOOST_TEST(get(files, route).body == index_html, route);
    for (const char* p :
         {"/assets/missing.js", "/../index.html", "/assets/../index.html", "/./index.html", "/..",
          "//index.html", "/assets/app-1a2b.js/", "/assets\\app-1a2b.js", "index.html", ""})
        BOOST_TEST((!files.serve({"GET", p}) || get(files, p).body == index_html), p);
    BOOST_TEST(!files.serve({"GET", "/assets/../index.html"}).has_value());
    BOOST_TEST(!files.serve({"GET", "/../etc/passwd"}).has_value());
    BOOST_TEST(!files.serve({"GET", std::string_view("/index.html\0.js", 15)}).has_value());
}

BOOST_AUTO_TEST_CASE(placeholder_page_without_a_web_app) {
    static_files files("", "'self'", {});
    BOOST_TEST(files.placeholder());
    for (const char* p : {"/", "/index.html", "/embed", "/process/1"}) {
        auto f = get(files, p);
        BOOST_TEST(f.content_type == "text/html; charset=utf-8", p);
        BOOST_TEST(f.body.find("Web app not built:</strong> install Node 20 and npm, run "
                               "<code>scripts/run.sh</code>") != std::string::npos,
                   p);
        BOOST_TEST(f.header("Content-Security-Policy") == "frame-ancestors 'self'", p);
        BOOST_TEST(f.header("ETag").size() == 22u, p);
    }
    auto ico = get(files, "/favicon.ico");
    BOOST_TEST(ico.content_type == "image/svg+xml");
    BOOST_TEST(ico.body.find("<svg") != std::string::npos);
    BOOST_TEST(!files.serve({"GET", "/assets/app.js"}).has_value());
    // A directory overrides: no placeholder.
    web_root w;
    BOOST_TEST(!static_files(w.dist.string(), "'self'", {}).placeholder());
}

BOOST_AUTO_TEST_CASE(the_tables_of_this_build) {
    for (auto t : {web_app_files(), placeholder_files()}) {
        std::set<std::string_view> tags;
        for (const auto& f : t) {
            BOOST_TEST_CONTEXT(f.path) {
                BOOST_TEST(f.etag.size() == 22u);
                BOOST_TEST(tags.insert(f.etag).second);
                if (f.gzip) {
                    BOOST_TEST(f.data.size() < f.raw_size);
                    BOOST_TEST(tags.insert(f.etag_gzip).second);
                    auto raw = gunzip(f.data, f.raw_size);
                    BOOST_TEST_REQUIRE(raw.has_value());
                    BOOST_TEST(raw->size() == f.raw_size);
                } else {
                    BOOST_TEST(f.data.size() == f.raw_size);
                    BOOST_TEST(f.etag_gzip.empty());
                }
            }
        }
    }
    BOOST_TEST(placeholder_files().size() == 2u);
    if (web_app_files().empty()) {
        BOOST_TEST(!web_app_missing_reason().empty());
        BOOST_TEST(static_files("").placeholder());
        return;
    }
    // The built app: its page loads the hashed bundle, which is there, as are the icon and embed.
    BOOST_TEST(web_app_missing_reason().empty());
    static_files files("");
    BOOST_TEST(!files.placeholder());
    auto page = get(files, "/");
    auto at = page.body.find("<script type=\"module\" crossorigin src=\"/assets/");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    auto src = page.body.substr(at + 39, page.body.find('"', at + 39) - at - 39);
    auto js = get(files, src, "gzip");
    BOOST_TEST(js.content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(js.header("Content-Encoding") == "gzip");
    BOOST_TEST(js.header("Cache-Control") == "public, max-age=31536000, immutable");
    BOOST_TEST(get(files, "/embed").body.find("data-page=\"embed\"") != std::string::npos);
    BOOST_TEST(get(files, "/favicon.ico").content_type == "image/svg+xml");
    BOOST_TEST(get(files, "/procpulse-client.js").status == 200u);
}

BOOST_AUTO_TEST_CASE(accept_encoding_and_if_none_match) {
    BOOST_TEST(accepts_gzip("gzip"));
    BOOST_TEST(accepts_gzip("gzip, deflate, br"));
    BOOST_TEST(accepts_gzip("GZIP;q=0.5"));
    BOOST_TEST(accepts_gzip("x-gzip"));
    BOOST_TEST(accepts_gzip("*"));
    BOOST_TEST(accepts_gzip("br;q=1.0, *;q=0.1"));
    BOOST_TEST(!accepts_gzip(""));
    BOOST_TEST(!accepts_gzip("br, deflate"));
    BOOST_TEST(!accepts_gzip("gzip;q=0"));
    BOOST_TEST(!accepts_gzip("gzip; q=0.0, *"));
    BOOST_TEST(!accepts_gzip("*;q=0"));
    BOOST_TEST(!accepts_gzip("gzipped"));
    BOOST_TEST(etag_matches("\"a\"", "\"a\""));
    BOOST_TEST(etag_matches("W/\"a\"", "\"a\""));
    BOOST_TEST(etag_matches("\"b\" , \"a\"", "\"a\""));
    BOOST_TEST(etag_matches("*", "\"a\""));
    BOOST_TEST(!etag_matches("", "\"a\""));
    BOOST_TEST(!etag_matches("\"ab\"", "\"a\""));
    BOOST_TEST(!etag_matches("a", "\"a\""));
    BOOST_TEST(!gunzip("not gzip").has_value());
    BOOST_TEST(!gunzip(app_js_gz.substr(0, app_js_gz.size() / 2)).has_value());
    auto grown = gunzip(app_js_gz, 1); // a short hint grows
    BOOST_TEST_REQUIRE(grown.has_value());
    BOOST_TEST(*grown == app_js);
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
