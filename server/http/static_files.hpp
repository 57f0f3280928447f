#pragma once
/** Files of the built web app, served from a directory; a placeholder page when there is none. */
#include <optional>
#include <string>
#include <string_view>

namespace procpulse::http {

struct static_file {
    std::string body;
    std::string content_type;
    bool html = false; ///< pages get the frame-ancestors policy
};

/** Looks up request paths under a root directory. Rejects anything that leaves the root. */
class static_files {
public:
    explicit static_files(std::string root);

    /**
     * The file for a URL path: "/" -> index.html, "/embed" -> embed.html (or index.html),
     * other extension-less paths -> index.html (client-side routes); nullopt when missing.
     */
    std::optional<static_file> lookup(std::string_view path) const;

    const std::string& root() const { return root_; }

private:
    std::optional<static_file> read(const std::string& relative) const;
    std::string root_;
};

/** Content type by file extension. */
std::string_view mime_type(std::string_view path);

} // namespace procpulse::http
