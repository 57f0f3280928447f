// The real server on 127.0.0.1:0 and real WebSocket clients: subscriptions, deltas, gone,
// bad input, limits, Origin/Host checks, slow clients, shutdown.
#define BOOST_TEST_MODULE integration
#include "harness.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace procpulse::test;
namespace json = boost::json;

namespace {

std::vector<std::string> fast() {
    return quick_server_args();
}

/** Reads hello and checks the common members. */
json::object expect_hello(ws_client& c) {
    auto h = c.next();
    BOOST_REQUIRE(h);
    BOOST_TEST(h->at("type").as_string() == "hello");
    BOOST_TEST(h->at("seq").as_int64() == 1);
    BOOST_TEST(h->at("protocol").as_int64() == 1);
    BOOST_TEST(!h->at("epoch").as_string().empty());
    BOOST_TEST(h->at("limits").as_object().at("max_message_bytes").as_int64() == 8192);
    return *h;
}

std::string key(pid_t pid) {
    return std::to_string(pid);
}

} // namespace

BOOST_AUTO_TEST_CASE(subscribe_child_gets_ack_snapshot_deltas_then_gone) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "600"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    ws_client c(srv.port());
    auto hello = expect_hello(c);
    std::int64_t seq = 1;
    c.send(R"({"type":"subscribe","id":7,"pids":[)" + key(child.pid()) + R"(,999999]})");
    auto ack = c.next();
    BOOST_REQUIRE(ack);
    BOOST_TEST(ack->at("type").as_string() == "ack");
    BOOST_TEST(ack->at("ref").as_int64() == 7);
    BOOST_TEST(ack->at("seq").as_int64() == ++seq);
    BOOST_TEST(json::serialize(ack->at("pids")) == "[" + key(child.pid()) + "]");
    BOOST_TEST(json::serialize(ack->at("not_found")) == "[999999]");
    auto snap = c.next();
    BOOST_REQUIRE(snap);
    BOOST_TEST(snap->at("type").as_string() == "snapshot");
    BOOST_TEST(snap->at("seq").as_int64() == ++seq);
    BOOST_TEST(snap->at("epoch") == hello.at("epoch"));
    json::value state = snap->at("state");
    const auto& rec = state.at("processes").at(key(child.pid())).as_object();
    BOOST_TEST(rec.at("name").as_string() == "sleep");
    BOOST_TEST(rec.at("cmdline").as_string() == "/bin/sleep 600");
    BOOST_TEST(rec.at("rss").as_int64() > 0);
    BOOST_TEST(snap->at("history").at("processes").as_object().contains(key(child.pid())));

    // Deltas come only when something changed: the system record changes every tick.
    c.send(R"({"type":"subscribe","topic":"system"})");
    BOOST_REQUIRE(c.next_of("snapshot"));
    seq += 2;
    int deltas = 0;
    for (int i = 0; i < 3; ++i) {
        auto d = c.next_of("delta", 3s);
        BOOST_REQUIRE(d);
        BOOST_TEST(d->at("seq").as_int64() > seq);
        seq = d->at("seq").as_int64();
        procpulse::core::merge_apply(state, d->at("patch"));
        ++deltas;
    }
    BOOST_TEST(deltas == 3);
    BOOST_TEST(state.at("processes").at(key(child.pid())).at("pid").as_int64() == child.pid());

    const pid_t pid = child.pid();
    child.kill_and_wait();
    auto gone = c.next_of("gone", 3s);
    BOOST_REQUIRE(gone);
    BOOST_TEST(gone->at("pid").as_int64() == pid);
    BOOST_TEST(gone->at("reason").as_string() == "exited");
    BOOST_TEST(gone->at("last").at("name").as_string() == "sleep");
    auto d = c.next_of("delta", 3s);
    BOOST_REQUIRE(d);
    BOOST_TEST(d->at("patch").at("processes").at(key(pid)).is_null());
}

BOOST_AUTO_TEST_CASE(merged_deltas_equal_a_fresh_snapshot) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "600"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    ws_client a(srv.port());
    expect_hello(a);
    a.send(R"({"type":"subscribe","topic":"system"})");
    a.send(R"({"type":"subscribe","pids":[)" + key(child.pid()) + "]}");
    json::value state = json::object();
    std::map<double, json::value> by_time; // state after each delta, by tick time
    for (int i = 0; i < 30 && by_time.size() < 6; ++i) {
        auto m = a.next(3s);
        BOOST_REQUIRE(m);
        std::string type(m->at("type").as_string());
        if (type == "snapshot") procpulse::core::merge_apply(state, m->at("state"));
        if (type == "delta") {
            procpulse::core::merge_apply(state, m->at("patch"));
            by_time[m->at("time").to_number<double>()] = state;
        }
        if (by_time.size() == 3) { // a second client takes a fresh snapshot now
            ws_client b(srv.port());
            expect_hello(b);
            b.send(R"({"type":"subscribe","pids":[)" + key(child.pid()) + "]}");
            BOOST_REQUIRE(b.next_of("ack"));
            auto s = b.next_of("snapshot");
            BOOST_REQUIRE(s);
            double t = s->at("time").to_number<double>();
            json::value fresh = json::object();
            procpulse::core::merge_apply(fresh, s->at("state")); // drops nulls like a client does
            // Keep reading a until it reaches the same tick, then compare.
            for (int k = 0; k < 20 && !by_time.count(t); ++k) {
                auto m2 = a.next(3s);
                BOOST_REQUIRE(m2);
                if (m2->at("type").as_string() == "delta") {
                    procpulse::core::merge_apply(state, m2->at("patch"));
                    by_time[m2->at("time").to_number<double>()] = state;
                }
            }
            BOOST_REQUIRE(by_time.count(t));
            const auto& merged = by_time[t].at("processes").at(key(child.pid()));
            const auto& direct = fresh.at("processes").at(key(child.pid()));
            BOOST_TEST((merged == direct), json::serialize(merged)
                                               << " != " << json::serialize(direct));
            break;
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_input_gets_errors_and_the_socket_stays_usable) {
    server_process srv(fast());
    ws_client c(srv.port());
    expect_hello(c);
    struct cas {
        std::string text, code;
    };
    std::vector<cas> cases = {
        {"{not json", "bad_json"},
        {"[1,2,3]", "bad_json"},
        {R"({"type":"explode","id":3})", "unknown_type"},
        {R"({"id":4})", "unknown_type"},
        {R"({"type":"subscribe","pids":"x","id":5})", "bad_request"},
        {R"({"type":"subscribe","pids":[-1]})", "bad_request"},
        {R"({"type":"subscribe","pids":[]})", "bad_request"},
        {R"({"type":"subscribe","topic":"weather"})", "bad_request"},
        {R"({"type":"subscribe","topic":"processes","sort":"colour"})", "bad_request"},
        {R"({"type":"subscribe","topic":"processes","limit":999999})", "limit"},
        {R"({"type":"history","pid":424242})", "no_such_process"},
    };
    std::int64_t seq = 1;
    for (const auto& k : cases) {
        c.send(k.text);
        auto e = c.next();
        BOOST_REQUIRE_MESSAGE(e, k.text);
        BOOST_TEST(e->at("type").as_string() == "error", k.text);
        BOOST_TEST(e->at("code").as_string() == k.code, k.text);
        BOOST_TEST(!e->at("message").as_string().empty());
        BOOST_TEST(e->at("seq").as_int64() == ++seq);
    }
    c.send(R"({"type":"ping","id":"p1","extra":"ignored"})");
    auto p = c.next_of("pong");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->at("ref").as_string() == "p1");
}

BOOST_AUTO_TEST_CASE(too_many_subscriptions_is_a_limit_error) {
    auto args = fast();
    args.insert(args.end(), {"--max-subscriptions", "2"});
    server_process srv(args);
    ws_client c(srv.port());
    expect_hello(c);
    c.send(R"({"type":"subscribe","pids":[1,2,3]})");
    auto e = c.next();
    BOOST_REQUIRE(e);
    BOOST_TEST(e->at("code").as_string() == "limit");
}

BOOST_AUTO_TEST_CASE(oversized_message_closes_with_1009) {
    server_process srv(fast());
    ws_client c(srv.port());
    expect_hello(c);
    c.send(R"({"type":"ping","pad":")" + std::string(9000, 'x') + "\"}");
    while (c.next(3s)) {
    }
    BOOST_TEST(c.close_code() == 1009);
}

BOOST_AUTO_TEST_CASE(binary_frame_closes_with_1003) {
    server_process srv(fast());
    ws_client c(srv.port());
    expect_hello(c);
    c.send_binary("\x01\x02\x03");
    while (c.next(3s)) {
    }
    BOOST_TEST(c.close_code() == 1003);
}

BOOST_AUTO_TEST_CASE(foreign_origin_and_host_are_refused) {
    server_process srv(fast());
    BOOST_CHECK_THROW(ws_client(srv.port(), {{"Origin", "http://evil.example"}}), std::exception);
    BOOST_CHECK_THROW(
        ws_client(srv.port(), {{"Host", "evil.example:" + std::to_string(srv.port())}}),
        std::exception);
    auto r =
        http_request(srv.port(), "GET", "/api/system/memory", "", {{"Host", "rebind.example"}});
    BOOST_TEST(r.status == 403u);
    // Same origin and localhost are fine.
    ws_client ok(srv.port(), {{"Origin", "http://127.0.0.1:" + std::to_string(srv.port())}});
    expect_hello(ok);
    ws_client ok2(srv.port(), {{"Host", "localhost:" + std::to_string(srv.port())},
                               {"Origin", "http://localhost:" + std::to_string(srv.port())}});
    expect_hello(ok2);
    auto allowed_args = fast();
    allowed_args.insert(allowed_args.end(), {"--allow-origin", "http://dash.example"});
    server_process srv2(allowed_args);
    ws_client ok3(srv2.port(), {{"Origin", "http://dash.example"}});
    expect_hello(ok3);
}

BOOST_AUTO_TEST_CASE(token_is_required_when_configured) {
    auto args = fast();
    args.insert(args.end(), {"--token", "s3cret"});
    server_process srv(args);
    BOOST_CHECK_THROW(ws_client(srv.port()), std::exception);
    BOOST_CHECK_THROW(
        ws_client(srv.port(), {{"Sec-WebSocket-Protocol", "procpulse.v1, bearer.wrong"}}),
        std::exception);
    ws_client c(srv.port(), {{"Sec-WebSocket-Protocol", "procpulse.v1, bearer.s3cret"}});
    expect_hello(c);
    ws_client c2(srv.port(), {{"Authorization", "Bearer s3cret"}});
    expect_hello(c2);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system/memory").status == 401u);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system/memory", "",
                            {{"Authorization", "Bearer s3cret"}})
                   .status == 200u);
    auto auth = http_request(srv.port(), "GET", "/auth?token=s3cret");
    BOOST_TEST(auth.status == 302u);
    std::string cookie = auth.header("Set-Cookie");
    BOOST_TEST(cookie.find("HttpOnly") != std::string::npos);
    BOOST_TEST(cookie.find("SameSite=Strict") != std::string::npos);
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system/memory", "",
                            {{"Cookie", cookie.substr(0, cookie.find(';'))}})
                   .status == 200u);
    BOOST_TEST(http_request(srv.port(), "GET", "/auth?token=nope").status == 401u);
}

BOOST_AUTO_TEST_CASE(non_loopback_without_token_refuses_to_start) {
    BOOST_CHECK_THROW(server_process({"--listen", "0.0.0.0:0", "--db", ":memory:"}),
                      std::exception);
}

BOOST_AUTO_TEST_CASE(process_table_topic_filters_and_sorts) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "601"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    ws_client c(srv.port());
    expect_hello(c);
    c.send(
        R"({"type":"subscribe","topic":"processes","filter":"sleep 601","sort":"pid","order":"asc","limit":10})");
    auto ack = c.next_of("ack");
    BOOST_REQUIRE(ack);
    BOOST_TEST(ack->at("topic").as_string() == "processes");
    auto snap = c.next_of("snapshot");
    BOOST_REQUIRE(snap);
    const auto& table = snap->at("state").at("table").as_object();
    BOOST_TEST(table.at("total").as_int64() == 1);
    BOOST_TEST(table.at("rows").as_object().contains(key(child.pid())));
    BOOST_TEST(table.at("rows").at(key(child.pid())).at("name").as_string() == "sleep");
    // Changing the filter replaces the rows: the old one is removed with null.
    c.send(R"({"type":"subscribe","topic":"processes","filter":"no-such-process-name"})");
    auto snap2 = c.next_of("snapshot");
    BOOST_REQUIRE(snap2);
    BOOST_TEST(snap2->at("state").at("table").at("rows").at(key(child.pid())).is_null());
    BOOST_TEST(snap2->at("state").at("table").at("total").as_int64() == 0);
}

BOOST_AUTO_TEST_CASE(resync_sends_a_full_snapshot) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "600"});
    BOOST_REQUIRE(wait_seen(srv.port(), child.pid()));
    ws_client c(srv.port());
    expect_hello(c);
    c.send(R"({"type":"subscribe","pids":[)" + key(child.pid()) + "]}");
    c.send(R"({"type":"subscribe","topic":"system"})");
    BOOST_REQUIRE(c.next_of("delta", 3s));
    c.send(R"({"type":"resync","id":1})");
    auto s = c.next_of("snapshot", 3s);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->at("full").as_bool());
    BOOST_TEST(s->at("state").at("processes").as_object().contains(key(child.pid())));
    BOOST_TEST(s->at("state").at("system").at("memory").at("total").as_int64() > 0);
    BOOST_TEST(s->at("history").at("system").at("t").as_array().size() >= 2u);
}

BOOST_AUTO_TEST_CASE(shutdown_closes_with_1001_and_exits_zero) {
    server_process srv(fast());
    ws_client c(srv.port());
    expect_hello(c);
    auto t0 = std::chrono::steady_clock::now();
    std::thread stopper([&] {
        std::this_thread::sleep_for(100ms);
        ::kill(srv.pid(), SIGTERM);
    });
    while (c.next(3s)) {
    }
    stopper.join();
    BOOST_TEST(c.close_code() == 1001);
    int status = srv.terminate(3s);
    BOOST_TEST(status == 0);
    BOOST_TEST(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count() < 3000);
}

namespace {

/** A fixture /proc with n copies of one process, so that a table snapshot is large. */
std::string big_proc_tree(int n) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("procpulse-big-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
    fs::path src = PROCPULSE_FIXTURES "/proc";
    for (const char* f : {"meminfo", "stat", "vmstat", "loadavg", "uptime"})
        fs::copy_file(src / f, root / f);
    fs::path one;
    for (const auto& e : fs::directory_iterator(src))
        if (e.is_directory() && fs::exists(e.path() / "io") && fs::exists(e.path() / "stat")) {
            one = e.path();
            break;
        }
    std::ifstream in(one / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    std::string rest = stat.substr(stat.find(' '));
    for (int pid = 1000; pid < 1000 + n; ++pid) {
        fs::path d = root / std::to_string(pid);
        fs::create_directories(d);
        for (const char* f : {"statm", "status", "io"})
            fs::copy_file(one / f, d / f);
        std::ofstream(d / "cmdline") << "/usr/bin/worker --id " << pid << std::string(120, 'x');
        std::ofstream(d / "stat") << pid << rest;
    }
    return root.string();
}

} // namespace

BOOST_AUTO_TEST_CASE(a_client_that_never_reads_is_closed_while_others_stay_on_time) {
    std::string root = big_proc_tree(1000);
    server_process srv({"--listen", "127.0.0.1:0", "--interval", "200ms", "--log-level", "warn",
                        "--db", ":memory:", "--proc-root", root, "--write-timeout", "1s",
                        "--outbox-bytes", "2000000"});
    ws_client good(srv.port());
    expect_hello(good);
    good.send(R"({"type":"subscribe","topic":"system"})");
    BOOST_REQUIRE(good.next_of("snapshot"));

    ws_client slow(srv.port(), {}, 4096);
    // Each resync answers with the whole 1000-row table; the client never reads any of it.
    slow.send(R"({"type":"subscribe","topic":"processes","limit":5000})");
    for (int i = 0; i < 30; ++i)
        slow.send(R"({"type":"resync"})");

    // Meanwhile the good client keeps receiving a delta every tick.
    auto start = std::chrono::steady_clock::now();
    auto last = start;
    std::chrono::milliseconds worst{0};
    int n = 0;
    while (std::chrono::steady_clock::now() - start < 3s) {
        auto d = good.next_of("delta", 2s);
        BOOST_REQUIRE(d);
        auto now = std::chrono::steady_clock::now();
        worst = std::max(worst, std::chrono::duration_cast<std::chrono::milliseconds>(now - last));
        last = now;
        ++n;
    }
    BOOST_TEST(n >= 10);
    BOOST_TEST(worst.count() < 1000); // ticks every 200 ms; never stalled behind the slow client

    // The slow client was closed by the server: reading what is left ends in an error, not data.
    bool ended = false;
    for (int i = 0; i < 10000; ++i) {
        if (!slow.next(2s)) {
            ended = true;
            break;
        }
    }
    BOOST_TEST(ended);
    BOOST_TEST(slow.last_error() != boost::asio::error::timed_out);
    std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_CASE(connections_per_ip_are_limited) {
    auto args = fast();
    args.insert(args.end(), {"--max-connections-per-ip", "2"});
    server_process srv(args);
    ws_client a(srv.port());
    expect_hello(a);
    ws_client b(srv.port());
    expect_hello(b);
    BOOST_CHECK_THROW(ws_client(srv.port()), std::exception); // the third is refused
    BOOST_TEST(a.next_of("delta", 2s).has_value() == false);  // a stays open (no subscription)
}

BOOST_AUTO_TEST_CASE(flooding_messages_are_rate_limited_and_the_socket_survives) {
    auto args = fast();
    args.insert(args.end(), {"--rate-limit", "5"}); // 5/s, burst 10
    server_process srv(args);
    ws_client c(srv.port());
    expect_hello(c);
    for (int i = 0; i < 30; ++i)
        c.send(R"({"type":"ping","id":)" + std::to_string(i) + "}");
    int pongs = 0, limited = 0;
    for (int i = 0; i < 30; ++i) {
        auto m = c.next(3s);
        BOOST_REQUIRE(m);
        if (m->at("type").as_string() == "pong")
            ++pongs;
        else if (m->at("code").as_string() == "rate_limited")
            ++limited;
    }
    BOOST_TEST(pongs >= 10);
    BOOST_TEST(pongs <= 12); // the burst, plus what refilled while the frames arrived
    BOOST_TEST(pongs + limited == 30);
    std::this_thread::sleep_for(1s); // the bucket refills
    c.send(R"({"type":"ping","id":"after"})");
    auto p = c.next_of("pong");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->at("ref").as_string() == "after");
}

BOOST_AUTO_TEST_CASE(bad_command_lines_exit_2_with_a_message) {
    auto [status, text] = run_server_to_exit({"--bogus"}, 5s);
    BOOST_TEST(status == 2);
    BOOST_TEST(text.find("unknown option '--bogus'") != std::string::npos, text);
    auto [s2, t2] = run_server_to_exit({"--interval", "50ms"}, 5s);
    BOOST_TEST(s2 == 2);
    BOOST_TEST(t2.find("--interval") != std::string::npos, t2);
    auto [s3, t3] = run_server_to_exit({"--help"}, 5s);
    BOOST_TEST(s3 == 0);
    for (const char* flag : {"--listen", "--token", "--allow-origin", "--interval", "--proc-root",
                             "--db", "--once", "--watch"})
        BOOST_TEST(t3.find(flag) == std::string::npos); // help goes to stdout, not stderr
}

BOOST_AUTO_TEST_CASE(deleting_a_rule_resolves_its_alerts_with_rule_deleted_on_the_websocket) {
    server_process srv(fast());
    child_process child({"/bin/sleep", "641"});
    const std::string pid = std::to_string(child.pid());
    ws_client c(srv.port());
    BOOST_REQUIRE(c.next_of("hello"));
    c.send(R"({"type":"subscribe","topic":"alerts"})");
    auto rule = http_request(srv.port(), "POST", "/api/alerts/rules",
                             R"({"metric":"rss","op":">=","threshold":0,"scope":"pid","pid":)" +
                                 pid + R"(,"name":"any rss"})");
    BOOST_REQUIRE(rule.status == 201u);
    const auto id = rule.json.at("rule").at("id").as_int64();
    auto firing = c.next_of("alert", 10s);
    BOOST_REQUIRE(firing);
    BOOST_TEST(firing->at("event").at("state").as_string() == "firing");
    BOOST_REQUIRE(http_request(srv.port(), "DELETE", "/api/alerts/rules/" + std::to_string(id))
                      .status == 200u);
    // The resolution comes with the next tick, as the protocol promises.
    std::optional<boost::json::object> resolved;
    for (int i = 0; i < 5 && !resolved; ++i) {
        auto m = c.next_of("alert", 5s);
        if (m && m->at("event").at("state").as_string() == "resolved") resolved = m;
    }
    BOOST_REQUIRE(resolved);
    BOOST_TEST(resolved->at("event").at("reason").as_string() == "rule_deleted");
    BOOST_TEST(resolved->at("event").at("rule_id").as_int64() == id);
}
