// Storage faults with the real server. The database's file system fills up while it runs, then
// space comes back: the server stays up, says "disk full" once (not ROLLBACK's error), reports it
// in /metrics and /api/system, answers a watch-list change it could not store with an error, and
// resumes writing when space returns. The database file is deleted while it runs (in a directory
// made read-only): reported, retried, started again with its watch list and rules.
#include "harness.hpp"

#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace procpulse::test;
namespace fs = std::filesystem;

namespace {

/** A small tmpfs of its own (needs root, as CI runs); unmounted at the end. */
struct small_fs {
    fs::path dir;
    bool mounted = false;
    explicit small_fs(const char* size) {
        dir = fs::temp_directory_path() /
              ("procpulse-full-" + std::to_string(::getpid()) + "-" +
               std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        fs::create_directories(dir);
        mounted =
            ::mount("tmpfs", dir.c_str(), "tmpfs", 0, (std::string("size=") + size).c_str()) == 0;
    }
    ~small_fs() {
        if (mounted) ::umount2(dir.c_str(), MNT_DETACH);
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

/** Writes `path` until the file system is full; returns the bytes written. */
std::size_t fill(const fs::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::setvbuf(f, nullptr, _IONBF, 0);
    std::vector<char> chunk(4096, 'x');
    std::size_t total = 0;
    while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size())
        total += chunk.size();
    std::fclose(f);
    return total;
}

/** The value of an unlabelled sample in a /metrics text, or -1. */
double metric(unsigned short port, const std::string& name) {
    auto r = http_request(port, "GET", "/metrics");
    auto at = r.body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(r.body.substr(at + name.size() + 2));
}

template <class F> bool eventually(F f, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (f()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return f();
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_full_disk_is_said_once_refuses_state_changes_and_recovers) {
    small_fs disk("2m");
    if (!disk.mounted) {
        BOOST_TEST_MESSAGE("skipped: mounting a tmpfs needs root");
        return;
    }
    child_process a({"/bin/sleep", "651"}), b({"/bin/sleep", "652"});
    const std::string pa = std::to_string(a.pid()), pb = std::to_string(b.pid());
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "100ms", "--log-level", "warn",
                        "--db", (disk.dir / "pp.db").string(), "--flush-interval", "200ms"});
    BOOST_REQUIRE(
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pa + "}")
            .json.at("success")
            .as_bool());
    BOOST_REQUIRE(
        eventually([&] { return metric(srv.port(), "procpulse_store_write_failing") == 0; }, 5s));
    BOOST_REQUIRE(fill(disk.dir / "filler") > 0);

    // Writes fail: reported, the server stays up, the real error is named.
    BOOST_REQUIRE(
        eventually([&] { return metric(srv.port(), "procpulse_store_write_failing") == 1; }, 20s));
    auto sys = http_request(srv.port(), "GET", "/api/system");
    BOOST_REQUIRE(sys.status == 200u);
    BOOST_REQUIRE(sys.json.at("store_error").is_string());
    const std::string err(sys.json.at("store_error").as_string());
    BOOST_TEST(err.find("full") != std::string::npos, err);
    BOOST_TEST(srv.log().find("cannot rollback") == std::string::npos, srv.log());
    {
        ws_client ws(srv.port()); // a client that connects now is told in its hello
        auto hello = ws.next_of("hello");
        BOOST_REQUIRE(hello);
        BOOST_REQUIRE(hello->at("store_error").is_string());
        BOOST_TEST(std::string(hello->at("store_error").as_string()).find("full") !=
                   std::string::npos);
    }

    // A state change that cannot be stored is an error, and is not made.
    auto add =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pb + "}");
    BOOST_TEST(add.status == 500u, add.body);
    BOOST_TEST(!add.json.at("success").as_bool());
    auto watched = http_request(srv.port(), "GET", "/api/processes/metrics");
    BOOST_TEST(!watched.json.at("processes").as_object().contains(pb));

    // Many flushes later, still one log line for the episode.
    const double pending = metric(srv.port(), "procpulse_store_pending_rows");
    BOOST_REQUIRE(eventually(
        [&] { return metric(srv.port(), "procpulse_store_pending_rows") >= pending + 20; }, 20s));
    BOOST_TEST(count(srv.log(), "history write to") == 1u, srv.log());

    // Space comes back: writing resumes by itself, the waiting rows are written.
    fs::remove(disk.dir / "filler");
    BOOST_REQUIRE(
        eventually([&] { return metric(srv.port(), "procpulse_store_write_failing") == 0; }, 20s));
    BOOST_TEST(metric(srv.port(), "procpulse_store_pending_rows") < pending + 20);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system").json.at("store_error").is_null());
    {
        ws_client ws(srv.port());
        auto hello = ws.next_of("hello");
        BOOST_REQUIRE(hello);
        BOOST_TEST(hello->at("store_error").is_null());
    }
    // The health flag clears before the line is logged: wait for the line.
    BOOST_TEST(eventually([&] { return count(srv.log(), "resumed") == 1u; }, 5s), srv.log());
    auto again =
        http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pb + "}");
    BOOST_TEST(again.status == 200u, again.body);
}

BOOST_AUTO_TEST_CASE(a_database_deleted_while_running_is_started_again_with_its_state) {
    // Deleted while running: writing on into the unlinked file would lose everything at the next
    // start. The server notices at its next flush, starts a new database at the path and saves
    // the watch list and the rules there again. As root, the server runs as "nobody" and the
    // directory is made read-only first (root ignores permissions): the new file cannot be
    // created, which is reported and retried until the directory is writable again.
    temp_dir dir("procpulse-deleted");
    const bool root = ::geteuid() == 0;
    const uid_t nobody = 65534;
    if (root) BOOST_REQUIRE(::chown(dir.path.c_str(), nobody, nobody) == 0);
    child_process a({"/bin/sleep", "653"});
    const std::string pa = std::to_string(a.pid());
    const fs::path db = dir.path / "pp.db";
    const std::vector<std::string> args{
        "--listen", "127.0.0.1:0", "--interval",       "100ms", "--log-level", "warn",
        "--db",     db.string(),   "--flush-interval", "200ms"};
    double mark = 0, stopped = 0;
    {
        server_process srv(args, 0, root ? nobody : 0);
        BOOST_REQUIRE(
            http_request(srv.port(), "POST", "/api/processes/monitor/add", R"({"pid":)" + pa + "}")
                .json.at("success")
                .as_bool());
        BOOST_REQUIRE(
            http_request(
                srv.port(), "POST", "/api/alerts/rules",
                R"({"metric":"rss","op":">","threshold":1e15,"scope":"any","name":"huge"})")
                .status == 201u);
        BOOST_REQUIRE(eventually(
            [&] { return metric(srv.port(), "procpulse_store_write_failing") == 0; }, 5s));
        if (root) BOOST_REQUIRE(::chmod(dir.path.c_str(), 0555) == 0);
        mark = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                   .count();
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(db.string() + suffix);
        if (root) {
            BOOST_REQUIRE(eventually(
                [&] { return metric(srv.port(), "procpulse_store_write_failing") == 1; }, 10s));
            auto sys = http_request(srv.port(), "GET", "/api/system");
            BOOST_REQUIRE(sys.json.at("store_error").is_string());
            const std::string err(sys.json.at("store_error").as_string());
            BOOST_TEST(err.find("was deleted while procpulse ran and cannot be created again") !=
                           std::string::npos,
                       err);
            BOOST_TEST(!fs::exists(db));
            BOOST_REQUIRE(::chmod(dir.path.c_str(), 0755) == 0);
        }
        BOOST_REQUIRE(eventually(
            [&] {
                return fs::exists(db) && metric(srv.port(), "procpulse_store_write_failing") == 0 &&
                       count(srv.log(), "started a new one there") == 1u;
            },
            10s));
        BOOST_TEST(count(srv.log(), "history write to") == (root ? 1u : 0u), srv.log());
        // Sweeps since the deletion (their rows go to the new file), then a clean stop (which
        // flushes what is left).
        const std::string since = "/api/processes/" + pa + "/history?metrics=rss&from=" +
                                  std::to_string(mark);
        BOOST_REQUIRE(eventually(
            [&] {
                auto r = http_request(srv.port(), "GET", since);
                return r.status == 200u && r.json.at("series").at("t").as_array().size() >= 3u;
            },
            10s));
        stopped = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                      .count();
        BOOST_TEST(srv.terminate(5s) == 0);
    }
    // Started again on the new file: the watch list, the rule and the history written since.
    server_process srv(args);
    auto watched = http_request(srv.port(), "GET", "/api/processes/metrics");
    BOOST_TEST(watched.json.at("processes").as_object().contains(pa));
    auto rules = http_request(srv.port(), "GET", "/api/alerts/rules");
    BOOST_REQUIRE(rules.json.at("rules").as_array().size() == 1u);
    BOOST_TEST(rules.json.at("rules").at(0).at("name").as_string() == "huge");
    auto hist =
        http_request(srv.port(), "GET",
                     "/api/processes/" + pa + "/history?metrics=rss&from=" + std::to_string(mark) +
                         "&to=" + std::to_string(stopped));
    BOOST_REQUIRE(hist.status == 200u);
    BOOST_TEST(hist.json.at("series").at("t").as_array().size() >= 1u, hist.body);
}
