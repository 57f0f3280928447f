// Process faults with clients connected: the server stopped and continued, SIGTERM under load.
#include "harness.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <thread>

using namespace procpulse::test;
namespace json = boost::json;

namespace {

std::vector<std::string> fast() {
    return quick_server_args();
}

/** A client's copy of its state document and the sequence numbers it saw. */
struct follower {
    ws_client ws;
    json::value state = json::object();
    std::int64_t seq = 0;
    bool gap = false;

    explicit follower(unsigned short port) : ws(port) {}

    /** Applies one message; false on timeout or close. */
    bool step(std::chrono::milliseconds limit = 5s) {
        auto m = ws.next(limit);
        if (!m) return false;
        const auto s = m->at("seq").as_int64();
        if (seq && s != seq + 1) gap = true;
        seq = s;
        const auto type = m->at("type").as_string();
        if (type == "snapshot") {
            if (m->at("full").as_bool()) state = json::object();
            procpulse::core::merge_apply(state, m->at("state"));
        } else if (type == "delta") {
            procpulse::core::merge_apply(state, m->at("patch"));
        }
        last = *m;
        return true;
    }
    json::object last;
};

/** Waits until /proc/<pid>/stat shows `state` (e.g. 'T' for stopped). */
bool wait_state(pid_t pid, char state, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        auto close = text.rfind(')');
        if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == state)
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_CASE(stopped_for_15_s_then_continued_clients_carry_on_consistently) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "620"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    const std::string pid = std::to_string(child.pid());
    std::vector<std::unique_ptr<follower>> fs;
    for (int i = 0; i < 4; ++i) {
        fs.push_back(std::make_unique<follower>(srv.port()));
        auto& f = *fs.back();
        BOOST_REQUIRE(f.step());
        f.ws.send(R"({"type":"subscribe","topic":"system"})");
        f.ws.send(R"({"type":"subscribe","pids":[)" + pid + "]}");
        for (int k = 0; k < 6; ++k)
            BOOST_REQUIRE(f.step());
    }
    BOOST_REQUIRE(::kill(srv.pid(), SIGSTOP) == 0);
    // The scenario is a server stopped for 15 s (its duration, not a wait for a condition); the
    // clients do not read meanwhile (a timed-out read would end a Beast stream).
    BOOST_REQUIRE(wait_state(srv.pid(), 'T', 5s));
    std::this_thread::sleep_for(15s);
    BOOST_REQUIRE(::kill(srv.pid(), SIGCONT) == 0);
    for (auto& f : fs) {
        // Fresh deltas come again, in sequence, and the state is whole.
        int deltas = 0;
        for (int k = 0; k < 40 && deltas < 3; ++k) {
            BOOST_REQUIRE_MESSAGE(f->step(), "close code " << f->ws.close_code() << "; log:\n"
                                                           << srv.log());
            deltas += f->last.at("type").as_string() == "delta" ? 1 : 0;
        }
        BOOST_TEST(deltas == 3);
        BOOST_TEST(!f->gap);
        BOOST_TEST(f->state.at("processes").as_object().contains(pid));
        BOOST_TEST(f->state.at("system").at("memory").at("total").as_int64() > 0);
        // A resync's full document holds the same process (an idle sleep: same record).
        json::value merged = f->state.at("processes").at(pid);
        f->ws.send(R"({"type":"resync"})");
        for (int k = 0; k < 20; ++k) {
            BOOST_REQUIRE(f->step());
            if (f->last.at("type").as_string() == "snapshot") break;
        }
        BOOST_TEST(f->state.at("processes").at(pid).at("start") == merged.at("start"));
        BOOST_TEST(f->state.at("processes").at(pid).at("name") == merged.at("name"));
    }
    BOOST_TEST(srv.terminate(5s) == 0, srv.log());
}

BOOST_AUTO_TEST_CASE(sigterm_under_load_closes_every_client_with_1001_and_exits_0_in_2_s) {
    server_process srv(fast());
    std::vector<std::unique_ptr<ws_client>> clients;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<ws_client>(srv.port()));
        auto& c = *clients.back();
        BOOST_REQUIRE(c.next_of("hello"));
        c.send(R"({"type":"subscribe","topic":"system"})");
        c.send(R"({"type":"subscribe","topic":"processes","limit":500})");
        BOOST_REQUIRE(c.next_of("snapshot"));
    }
    // One client that never reads, with a tiny receive buffer: it lags.
    ws_client lagging(srv.port(), {}, 4096);
    lagging.send(R"({"type":"subscribe","topic":"processes","limit":5000})");
    // Readers on their own threads; two of them also send junk all the time.
    std::atomic<bool> stop{false};
    std::vector<std::thread> readers;
    for (std::size_t i = 0; i < clients.size(); ++i)
        readers.emplace_back([&, i] {
            auto& c = *clients[i];
            while (c.next(3s)) {
                if (i < 2 && !stop) c.send(i == 0 ? "{not json" : R"({"type":"nope"})");
            }
        });
    // Let a few ticks go by under this load, then SIGTERM and time the exit.
    for (int k = 0; k < 3; ++k)
        BOOST_REQUIRE(http_request(srv.port(), "GET", "/api/system").status == 200u);
    auto t0 = std::chrono::steady_clock::now();
    int status = srv.terminate(2s);
    auto took = std::chrono::steady_clock::now() - t0;
    stop = true;
    for (auto& r : readers)
        r.join();
    BOOST_TEST(status == 0, srv.log());
    BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() < 2000);
    int with_1001 = 0;
    for (auto& c : clients)
        with_1001 += c->close_code() == 1001 ? 1 : 0;
    BOOST_TEST(with_1001 == 20);
}
