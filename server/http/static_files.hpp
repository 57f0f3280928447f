#pragma once
/**
 * The web app's files as HTTP answers (Beast-free values; transport frames them): from the table
 * compiled into the binary (embedded_files.hpp), or from a directory given with --static-dir.
 */
#include "http/embedded_files.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace procpulse::http {

/** The parts of a GET or HEAD request that decide the answer. */
struct static_request {
    std::string_view method = "GET"; ///< GET or HEAD (others never reach static files)
    std::string_view path;           ///< the URL path, query removed
    std::string_view accept_encoding;
    std::string_view if_none_match;
};

/** A 200 or 304 answer, ready to frame. */
struct static_response {
    unsigned status = 200;
    std::string content_type;
    std::string body;               ///< empty for HEAD and 304
    std::size_t content_length = 0; ///< of the body a GET gets (HEAD answers it too)
    /** ETag, Cache-Control, Vary, Content-Encoding, Content-Security-Policy (pages). */
    std::vector<std::pair<std::string, std::string>> headers;

    /** The value of a header set above; empty when absent. */
    std::string_view header(std::string_view name) const;
};

/**
 * Resolves URL paths to the web app's files and answers with the right type, ETag,
 * Cache-Control and encoding. "/" -> index.html, "/embed" -> embed.html (or index.html),
 * "/favicon.ico" -> favicon.svg when there is no .ico, other extension-less paths -> index.html
 * (client-side routes). Paths that leave the root are refused. Immutable after construction, so
 * any session thread may use it.
 */
class static_files {
public:
    /**
     * Files from `root` when it is not empty (development: --static-dir frontend/dist), else from
     * `table`, else (an empty table: a build without the web app) from placeholder_files().
     * `frame_ancestors` goes into the pages' Content-Security-Policy.
     */
    explicit static_files(std::string root, std::string frame_ancestors = "'self'",
                          std::span<const embedded_file> table = web_app_files());

    /** The answer for a GET or HEAD of this path; nullopt when there is no such file (404). */
    std::optional<static_response> serve(const static_request& req) const;

    /** True when the files come from the placeholder table (no web app in this build). */
    bool placeholder() const { return placeholder_; }

private:
    struct found;
    std::optional<found> find(const std::string& relative) const;
    std::optional<found> resolve(std::string_view path) const;

    std::string root_;
    std::string frame_ancestors_;
    std::span<const embedded_file> table_;
    bool placeholder_ = false;
};

/** Content type by file extension. */
std::string_view mime_type(std::string_view path);

/** Whether an Accept-Encoding value admits gzip (a q of 0 refuses it; "*" admits it). */
bool accepts_gzip(std::string_view accept_encoding);

/** Whether an If-None-Match value names this ETag ("*", lists, weak "W/" forms match). */
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/** The bytes of a gzip stream; nullopt when it is not one. */
std::optional<std::string> gunzip(std::string_view data, std::size_t size_hint = 0);

} // namespace procpulse::http
