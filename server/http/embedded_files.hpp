#pragma once
/**
 * The web app compiled into the binary. The tables are generated at build time into the CMake
 * binary dir (cmake/embed_web_app.cmake): web_app_files() from frontend/dist by
 * frontend/scripts/embed-assets.mjs, placeholder_files() by CMake from server/http/placeholder.html
 * and frontend/public/favicon.svg. Both are constant data: any thread may read them at any time.
 */
#include <cstddef>
#include <span>
#include <string_view>

namespace procpulse::http {

/** One file as stored in the binary. The content type follows from the path (mime_type). */
struct embedded_file {
    std::string_view path;      ///< relative to the web root: "index.html", "assets/index-1a2b.js"
    std::string_view data;      ///< the stored bytes: a gzip stream when `gzip`, else the file
    bool gzip = false;          ///< data is the file gzipped (stored so only when that is smaller)
    std::size_t raw_size = 0;   ///< size of the file itself
    std::string_view etag;      ///< quoted ETag of the file itself (a hash of its bytes)
    std::string_view etag_gzip; ///< quoted ETag of the gzip bytes; empty when !gzip
};

/**
 * The built web app (frontend/dist); empty when this build embedded none (no Node.js/npm, no
 * frontend/node_modules, or -DPROCPULSE_EMBED_WEB_APP=OFF).
 */
std::span<const embedded_file> web_app_files();

/** Why web_app_files() is empty, for the start-up log; empty when the app is embedded. */
std::string_view web_app_missing_reason();

/** What is served when no web app is embedded: index.html saying how to build it, the icon. */
std::span<const embedded_file> placeholder_files();

} // namespace procpulse::http
