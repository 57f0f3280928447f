#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace procpulse::http {

namespace {

constexpr std::string_view placeholder = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>procpulse</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto">
<h1>procpulse</h1>
<p>The server is running, but the web app has not been built. Run <code>scripts/run.sh</code>
(it builds <code>frontend/</code>), or pass <code>--static-dir frontend/dist</code>.</p>
<p>The REST API is at <a href="/api/processes/list">/api/processes/list</a>, the WebSocket feed at
<code>/ws</code>, Prometheus metrics at <a href="/metrics">/metrics</a>.</p>
</body></html>
)";

bool safe_relative(std::string_view p) {
    if (p.empty() || p.front() == '/') return false;
    std::size_t start = 0;
    while (start <= p.size()) {
        auto slash = p.find('/', start);
        std::string_view seg =
            p.substr(start, slash == std::string_view::npos ? p.npos : slash - start);
        if (seg == ".." || seg == "." || seg.find('\0') != std::string_view::npos ||
            seg.find('\\') != std::string_view::npos)
            return false;
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return true;
}

} // namespace

std::string_view mime_type(std::string_view path) {
    auto dot = path.rfind('.');
    std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot);
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

static_files::static_files(std::string root) : root_(std::move(root)) {}

std::optional<static_file> static_files::read(const std::string& relative) const {
    if (root_.empty() || !safe_relative(relative)) return std::nullopt;
    const std::string path = root_ + "/" + relative;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt; // a directory opens too
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    static_file f;
    f.body = ss.str();
    f.content_type = std::string(mime_type(relative));
    f.html = relative.ends_with(".html");
    return f;
}

std::optional<static_file> static_files::lookup(std::string_view path) const {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::string rel(path.substr(1));
    if (root_.empty()) {
        if (rel.empty() || rel == "index.html" || rel == "embed")
            return static_file{std::string(placeholder), "text/html; charset=utf-8", true};
        return std::nullopt;
    }
    if (rel.empty()) rel = "index.html";
    if (rel == "embed") {
        if (auto f = read("embed.html")) return f;
        rel = "index.html";
    }
    if (auto f = read(rel)) return f;
    auto last_slash = rel.rfind('/');
    std::string_view last = last_slash == std::string::npos
                                ? std::string_view(rel)
                                : std::string_view(rel).substr(last_slash + 1);
    if (last.find('.') == std::string_view::npos) return read("index.html"); // client-side route
    return std::nullopt;
}

} // namespace procpulse::http
