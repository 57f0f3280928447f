// Process actions against the real server (--allow-actions), on processes the test forks: the
// signal reaches the right process (it dies of TERM, is stopped and continued), the nice value
// changes, a wrong start time (a reused PID) is refused, and so are requests without the flag,
// from a foreign Origin, without the CSRF header and without the token. Each action is logged.
#include "harness.hpp"

#include "procfs/pid_stat.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace procpulse::test {
namespace {

/** A forked child that waits for signals; killed and reaped by its PID at the end. */
struct sleeper {
    pid_t pid = ::fork();
    sleeper() {
        if (pid == 0) {
            for (;;)
                ::pause();
        }
    }
    ~sleeper() {
        if (pid > 0 && !reaped) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    bool reaped = false;
    std::uint64_t start() const {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::stringstream s;
        s << in.rdbuf();
        return procfs::parse_pid_stat(s.str())->starttime;
    }
    /** The next state change (WUNTRACED | WCONTINUED), waited for with a 5 s bound. */
    std::optional<int> next_status() {
        for (int i = 0; i < 500; ++i) {
            int st = 0;
            pid_t r = ::waitpid(pid, &st, WNOHANG | WUNTRACED | WCONTINUED);
            if (r == pid) {
                if (WIFSIGNALED(st) || WIFEXITED(st)) reaped = true;
                return st;
            }
            ::usleep(10000);
        }
        return std::nullopt;
    }
};

const std::vector<std::pair<std::string, std::string>> json_headers = {
    {"Content-Type", "application/json"}, {"X-Procpulse-Action", "1"}};

http_reply act(unsigned short port, int pid, const std::string& what, const std::string& body,
               std::vector<std::pair<std::string, std::string>> headers = json_headers) {
    return http_request(port, "POST", "/api/processes/" + std::to_string(pid) + "/" + what, body,
                        std::move(headers));
}

std::string signal_body(const std::string& sig, std::uint64_t start) {
    return R"({"signal":")" + sig + R"(","start":)" + std::to_string(start) + "}";
}

std::vector<std::string> with(std::vector<std::string> extra) {
    auto args = quick_server_args();
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

BOOST_AUTO_TEST_SUITE(actions)

BOOST_AUTO_TEST_CASE(refused_without_the_flag) {
    server_process srv(quick_server_args());
    sleeper c;
    auto r = act(srv.port(), c.pid, "signal", signal_body("TERM", c.start()));
    BOOST_TEST(r.status == 403u);
    BOOST_TEST(r.body.find("--allow-actions") != std::string::npos, r.body);
    BOOST_TEST(::kill(c.pid, 0) == 0); // still there
    auto sys = http_request(srv.port(), "GET", "/api/system");
    BOOST_TEST(sys.json.at("actions_allowed").as_bool() == false);
}

BOOST_AUTO_TEST_CASE(signals_hit_the_right_process_and_a_reused_pid_is_refused) {
    server_process srv(with({"--allow-actions"}));
    sleeper c;
    const auto start = c.start();
    BOOST_TEST(http_request(srv.port(), "GET", "/api/system").json.at("actions_allowed").as_bool());

    // A wrong start time: the PID names another process now. Nothing is sent.
    auto wrong = act(srv.port(), c.pid, "signal", signal_body("TERM", start + 1));
    BOOST_TEST(wrong.status == 409u);
    BOOST_TEST(wrong.body.find("another process") != std::string::npos, wrong.body);
    BOOST_TEST(::kill(c.pid, 0) == 0);

    // CSRF: no JSON content type, or no action header; a foreign Origin.
    auto no_header = act(srv.port(), c.pid, "signal", signal_body("STOP", start),
                         {{"Content-Type", "application/json"}});
    BOOST_TEST(no_header.status == 403u);
    BOOST_TEST(no_header.body.find("X-Procpulse-Action") != std::string::npos, no_header.body);
    auto form = act(srv.port(), c.pid, "signal", signal_body("STOP", start),
                    {{"Content-Type", "text/plain"}, {"X-Procpulse-Action", "1"}});
    BOOST_TEST(form.status == 403u);
    auto foreign = act(srv.port(), c.pid, "signal", signal_body("STOP", start),
                       {{"Content-Type", "application/json"},
                        {"X-Procpulse-Action", "1"},
                        {"Origin", "http://evil.example"}});
    BOOST_TEST(foreign.status == 403u);
    BOOST_TEST(foreign.body.find("Origin not allowed") != std::string::npos, foreign.body);

    // STOP and CONT: the child is stopped, then continued.
    auto stop = act(srv.port(), c.pid, "signal", signal_body("STOP", start));
    BOOST_TEST(stop.status == 200u, stop.body);
    auto st = c.next_status();
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(WIFSTOPPED(*st));
    BOOST_TEST(WSTOPSIG(*st) == SIGSTOP);
    BOOST_TEST(act(srv.port(), c.pid, "signal", signal_body("CONT", start)).status == 200u);
    st = c.next_status();
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(WIFCONTINUED(*st));

    // nice: the value changes.
    auto nice =
        act(srv.port(), c.pid, "nice", R"({"nice":7,"start":)" + std::to_string(start) + "}");
    BOOST_TEST(nice.status == 200u, nice.body);
    errno = 0;
    BOOST_TEST(::getpriority(PRIO_PROCESS, static_cast<id_t>(c.pid)) == 7);
    auto bad_nice = act(srv.port(), c.pid, "nice", R"({"nice":42,"start":1})");
    BOOST_TEST(bad_nice.status == 400u);

    // TERM: the child dies of it.
    BOOST_TEST(act(srv.port(), c.pid, "signal", signal_body("TERM", start)).status == 200u);
    st = c.next_status();
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(WIFSIGNALED(*st));
    BOOST_TEST(WTERMSIG(*st) == SIGTERM);
    auto gone = act(srv.port(), c.pid, "signal", signal_body("KILL", start));
    BOOST_TEST(gone.status == 404u, gone.body);

    // Every action that reached the checks is logged: who, what, result.
    auto log = http_request(srv.port(), "GET", "/api/actions");
    const auto& list = log.json.at("actions").as_array();
    BOOST_TEST_REQUIRE(list.size() == 6u, boost::json::serialize(log.json));
    const auto& newest = list[0].as_object();
    BOOST_TEST(newest.at("signal").as_string() == "KILL");
    BOOST_TEST(newest.at("ok").as_bool() == false);
    BOOST_TEST(newest.at("token").as_bool() == false);
    BOOST_TEST(std::string(newest.at("peer").as_string()).rfind("127.0.0.1:", 0) == 0u);
    BOOST_TEST(list[1].as_object().at("signal").as_string() == "TERM");
    BOOST_TEST(list[1].as_object().at("ok").as_bool());
    BOOST_TEST(list[2].as_object().at("nice").as_int64() == 7);
    BOOST_TEST(list.back().as_object().at("status").as_int64() == 409);
}

BOOST_AUTO_TEST_CASE(with_a_token_actions_need_it) {
    server_process srv(with({"--allow-actions", "--token", "s3cret"}));
    sleeper c;
    const auto start = c.start();
    auto none = act(srv.port(), c.pid, "signal", signal_body("TERM", start));
    BOOST_TEST(none.status == 401u);
    BOOST_TEST(::kill(c.pid, 0) == 0);
    auto headers = json_headers;
    headers.emplace_back("Authorization", "Bearer s3cret");
    BOOST_TEST(act(srv.port(), c.pid, "signal", signal_body("TERM", start), headers).status ==
               200u);
    auto st = c.next_status();
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(WTERMSIG(*st) == SIGTERM);
    auto log =
        http_request(srv.port(), "GET", "/api/actions", "", {{"Authorization", "Bearer s3cret"}});
    BOOST_TEST(log.json.at("actions").as_array()[0].as_object().at("token").as_bool());
}

BOOST_AUTO_TEST_CASE(actions_are_kept_in_the_database) {
    temp_dir dir;
    const std::string db = (dir.path / "p.db").string();
    sleeper c;
    {
        auto args = quick_server_args();
        args.back() = db; // --db :memory: -> the file
        args.insert(args.end(), {"--allow-actions", "--flush-interval", "100ms"});
        server_process srv(args);
        BOOST_TEST(act(srv.port(), c.pid, "nice",
                       R"({"nice":3,"start":)" + std::to_string(c.start()) + "}")
                       .status == 200u);
        BOOST_TEST(srv.terminate(std::chrono::seconds(10)) == 0);
    }
    auto args = quick_server_args();
    args.back() = db;
    server_process again(args);
    auto log = http_request(again.port(), "GET", "/api/actions");
    const auto& list = log.json.at("actions").as_array();
    BOOST_TEST_REQUIRE(list.size() == 1u, boost::json::serialize(log.json));
    BOOST_TEST(list[0].as_object().at("nice").as_int64() == 3);
    BOOST_TEST(log.json.at("allowed").as_bool() == false);
    // And the alerts' recent events do not show it.
    auto alerts = http_request(again.port(), "GET", "/api/alerts");
    BOOST_TEST(alerts.json.at("recent").as_array().empty(), alerts.body);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace
} // namespace procpulse::test
