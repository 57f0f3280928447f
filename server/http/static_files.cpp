#include "http/static_files.hpp"
#include "http/header_text.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace procpulse::http {

namespace {

constexpr std::string_view immutable = "public, max-age=31536000, immutable";

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

/** Calls `f` on each trimmed, non-empty item of a comma-separated header value. */
template <class F> void for_each_item(std::string_view list, F&& f) {
    while (!list.empty()) {
        auto comma = list.find(',');
        auto item = trim(list.substr(0, comma));
        if (!item.empty()) f(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

/** Whether the parameters of an Accept-Encoding item say q=0 (qvalue: "0" or "0." digits). */
bool q_is_zero(std::string_view params) {
    bool zero = false;
    for (std::size_t semi = 0; semi != std::string_view::npos;) {
        auto next = params.find(';', semi);
        auto p =
            trim(params.substr(semi, next == std::string_view::npos ? params.npos : next - semi));
        if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            zero = p.substr(2).find_first_not_of("0.") == std::string_view::npos;
        semi = next == std::string_view::npos ? next : next + 1;
    }
    return zero;
}

/** A quoted ETag for a file read from the directory: its FNV-1a 64-bit hash. */
std::string hash_etag(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes)
        h = (h ^ c) * 1099511628211ull;
    char text[24];
    std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(h));
    return text;
}

} // namespace

std::string_view static_response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

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

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<bool> gzip, any;
    for_each_item(accept_encoding, [&](std::string_view item) {
        auto semi = item.find(';');
        auto name = trim(item.substr(0, semi));
        bool ok = semi == std::string_view::npos || !q_is_zero(item.substr(semi + 1));
        if (iequals(name, "gzip") || iequals(name, "x-gzip"))
            gzip = ok;
        else if (name == "*")
            any = ok;
    });
    return gzip.value_or(any.value_or(false));
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    if (etag.starts_with("W/")) etag.remove_prefix(2);
    bool match = false;
    for_each_item(if_none_match, [&](std::string_view item) {
        if (item.starts_with("W/")) item.remove_prefix(2);
        if (item == "*" || item == etag) match = true;
    });
    return match;
}

std::optional<std::string> gunzip(std::string_view data, std::size_t size_hint) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
    std::string out(size_hint > 0 ? size_hint : data.size() * 4 + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (zs.total_out == out.size()) out.resize(out.size() * 2);
        zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
        zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
        rc = inflate(&zs, Z_NO_FLUSH);
    }
    out.resize(zs.total_out);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

/** A file found: in the table (`file`), or read from the directory (`body`). */
struct static_files::found {
    std::string path;
    const embedded_file* file = nullptr;
    std::string body;
};

static_files::static_files(std::string root, std::string frame_ancestors,
                           std::span<const embedded_file> table)
    : root_(std::move(root)), frame_ancestors_(std::move(frame_ancestors)), table_(table) {
    if (table_.empty()) {
        table_ = placeholder_files();
        placeholder_ = root_.empty();
    }
}

std::optional<static_files::found> static_files::find(const std::string& relative) const {
    if (!safe_relative(relative)) return std::nullopt;
    if (root_.empty()) {
        for (const auto& f : table_)
            if (f.path == relative) return found{relative, &f, {}};
        return std::nullopt;
    }
    const std::string path = root_ + "/" + relative;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt; // a directory opens too
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return found{relative, nullptr, ss.str()};
}

std::optional<static_files::found> static_files::resolve(std::string_view path) const {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::string rel(path.substr(1));
    if (rel.empty()) rel = "index.html";
    if (!safe_relative(rel)) return std::nullopt; // not even the app: a route has no ".."
    if (rel == "embed") {
        if (auto f = find("embed.html")) return f;
        rel = "index.html";
    }
    if (auto f = find(rel)) return f;
    if (rel == "favicon.ico") return find("favicon.svg");
    auto last_slash = rel.rfind('/');
    std::string_view last = last_slash == std::string::npos
                                ? std::string_view(rel)
                                : std::string_view(rel).substr(last_slash + 1);
    if (last.find('.') == std::string_view::npos) return find("index.html"); // client-side route
    return std::nullopt;
}

std::optional<static_response> static_files::serve(const static_request& req) const {
    auto f = resolve(req.path);
    if (!f) return std::nullopt;
    const bool gzip_stored = f->file && f->file->gzip;
    const bool send_gzip = gzip_stored && accepts_gzip(req.accept_encoding);
    static_response res;
    res.content_type = std::string(mime_type(f->path));
    std::string etag = !f->file    ? hash_etag(f->body)
                       : send_gzip ? std::string(f->file->etag_gzip)
                                   : std::string(f->file->etag);
    // Hashed bundle names change with their content; everything else is checked on each use.
    res.headers.emplace_back("Cache-Control",
                             f->path.starts_with("assets/") ? immutable : "no-cache");
    if (gzip_stored) res.headers.emplace_back("Vary", "Accept-Encoding");
    if (f->path.ends_with(".html"))
        res.headers.emplace_back("Content-Security-Policy", "frame-ancestors " + frame_ancestors_);
    const bool not_modified = etag_matches(req.if_none_match, etag);
    res.headers.emplace_back("ETag", std::move(etag));
    if (not_modified) {
        res.status = 304;
        return res;
    }
    if (send_gzip) res.headers.emplace_back("Content-Encoding", "gzip");
    const bool head = req.method == "HEAD";
    if (!f->file) {
        res.content_length = f->body.size();
        if (!head) res.body = std::move(f->body);
    } else if (send_gzip || !gzip_stored) {
        res.content_length = f->file->data.size();
        if (!head) res.body = std::string(f->file->data);
    } else {
        res.content_length = f->file->raw_size;
        if (!head) {
            auto raw = gunzip(f->file->data, f->file->raw_size);
            if (!raw) return std::nullopt; // a broken table is a bug the tests catch
            res.body = std::move(*raw);
        }
    }
    return res;
}

} // namespace procpulse::http
