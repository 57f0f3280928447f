#include "support.hpp"

#include "core/merge_patch.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace procpulse::test {

namespace json = boost::json;

core::process_sample process(int pid, std::uint64_t start, std::string name, std::string cmdline) {
    core::process_sample p;
    p.key = {pid, start};
    p.ppid = 1;
    p.name = std::move(name);
    p.cmdline = std::make_shared<const std::string>(std::move(cmdline));
    p.username = std::make_shared<const std::string>("alice");
    p.uid = 1000;
    p.state = 'S';
    p.status = "sleeping";
    p.create_time = 1795652907.2345;
    p.nice = 0;
    p.num_threads = 3;
    p.cpu_user = 1.2487;
    p.cpu_system = 0.5;
    p.cpu_percent = 12.5;
    p.rss = 10485760;
    p.vms = 104857600;
    p.shared = 2097152;
    p.text = 4096;
    p.data = 8388608;
    p.memory_percent = 0.0415;
    p.minor_faults = 2560;
    p.major_faults = 3;
    p.minor_faults_per_sec = 128.0;
    p.major_faults_per_sec = 0.0;
    p.ctx_switches_voluntary = 40;
    p.ctx_switches_involuntary = 2;
    p.unavailable = core::unavailable_io;
    return p;
}

core::process_sample kernel_thread(int pid, std::uint64_t start, std::string name) {
    core::process_sample p = process(pid, start, std::move(name), "");
    p.ppid = 0;
    p.username = std::make_shared<const std::string>("root");
    p.uid = 0;
    p.state = 'I';
    p.status = "idle";
    p.kernel_thread = true;
    p.num_threads = 1;
    p.cpu_percent = 0.0;
    p.rss = p.vms = 0;
    p.shared = p.text = p.data = 0;
    p.memory_percent = 0;
    p.minor_faults_per_sec = p.major_faults_per_sec = 0.0;
    return p;
}

core::system_sample system() {
    core::system_sample s;
    s.mem_total = 25276502016;
    s.mem_available = 24681119744;
    s.mem_used = 319475712;
    s.mem_free = 24538382336;
    s.mem_buffers = 13123584;
    s.mem_cached = 405520384;
    s.mem_shared = 9084928;
    s.mem_percent = 2.36;
    s.swap_in_pages_per_sec = 0.0;
    s.swap_out_pages_per_sec = 0.0;
    s.cpu_count = 2;
    s.cpu_percent = 18.04;
    s.cpu_percent_per_core = {15.4, 20.8};
    s.load1 = 0.46;
    s.load5 = 0.15;
    s.load15 = 0.05;
    s.uptime = 973.2;
    s.boot_time = 1795652027;
    s.process_count = 64;
    s.thread_count = 78;
    s.procs_running = 1;
    s.procs_blocked = 0;
    s.minor_faults_per_sec = 37000.2;
    s.major_faults_per_sec = 51.6;
    s.ctx_switches_per_sec = 1696.1;
    s.disks = {{"nvme0n1", 1048576.0, 524288.0, 12.0, 40.5, 3.2},
               {"nvme0n1p2", 1048576.0, 524288.0, 12.0, 40.5, 3.1}};
    s.net = {{"lo", 2048.0, 2048.0, 10.0, 10.0, 0, 0, 0, 0},
             {"eth0", 150000.0, 12000.0, 110.0, 95.0, 0, 0, 3, 0}};
    s.filesystems = {
        {"/", "ext4", "/dev/nvme0n1p2", 502392610816, 201326592000, 275627794432, 42.2}};
    s.disk_read_bytes_per_sec = 1048576.0;
    s.disk_write_bytes_per_sec = 524288.0;
    s.net_rx_bytes_per_sec = 150000.0;
    s.net_tx_bytes_per_sec = 12000.0;
    return s;
}

core::snapshot_ptr snapshot(std::uint64_t seq, double wall, std::vector<core::process_sample> procs,
                            core::system_sample sys) {
    auto s = std::make_shared<core::snapshot>();
    s->seq = seq;
    s->at.wall = wall;
    s->at.steady_ns = static_cast<std::int64_t>(seq) * 1000000000;
    if (seq > 1) s->gap_seconds = 1.0;
    std::sort(procs.begin(), procs.end(),
              [](const auto& a, const auto& b) { return a.key.pid < b.key.pid; });
    s->processes = std::move(procs);
    s->system = std::move(sys);
    return s;
}

protocol::server_info server_info() {
    protocol::server_info i;
    i.epoch = "c0ffee01-0001";
    i.host = "box";
    i.cpu_count = 2;
    i.page_size = 4096;
    i.mem_total = 25276502016;
    return i;
}

json::value parse(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    BOOST_TEST(!ec, "not JSON (" << ec.message() << "): " << text);
    return ec ? json::value() : v;
}

json::value parse_last(const std::vector<std::string>& out) {
    BOOST_TEST_REQUIRE(!out.empty());
    return parse(out.back());
}

protocol::tick_ptr fake_env::publish(const core::snapshot_ptr& snap) {
    history_.append(*snap);
    protocol::tick_interest want;
    for (const auto& [pid, n] : interest_) {
        if (n <= 0) continue;
        if (pid == 0)
            want.rows = true;
        else
            want.pids.insert(pid);
    }
    tick_ = protocol::build_tick(snap, tick_.get(), want);
    return tick_;
}

std::optional<core::series> fake_env::process_history(const core::process_key& key) {
    return history_.process(key, 0, 1e18);
}

core::series fake_env::system_history() {
    return history_.system(0, 1e18);
}

std::optional<core::series> fake_env::query_history(int pid, std::optional<std::uint64_t> start,
                                                    double from, double to) {
    auto key = start ? std::optional(core::process_key{pid, *start}) : history_.latest_key(pid);
    if (!key) return std::nullopt;
    return history_.process(*key, from, to);
}

void fake_env::interest(int pid, int delta) {
    interest_[pid] += delta;
}

int fake_env::interest_in(int pid) const {
    auto it = interest_.find(pid);
    return it == interest_.end() ? 0 : it->second;
}

void client_doc::receive(const std::string& message) {
    json::value v = parse(message);
    BOOST_TEST_REQUIRE(v.is_object());
    const auto& o = v.get_object();
    BOOST_TEST(o.at("seq") == json::value(seq + 1), "seq gap before " << message);
    if (auto* s = o.if_contains("seq"); s && s->is_number()) seq = s->to_number<std::uint64_t>();
    const json::string& type = o.at("type").as_string();
    if (type == "snapshot") {
        if (o.at("full").as_bool()) state = json::object();
        core::merge_apply(state, o.at("state"));
    } else if (type == "delta") {
        core::merge_apply(state, o.at("patch"));
    }
    received.push_back(std::move(v));
}

void client_doc::receive(const std::vector<std::string>& messages) {
    for (const auto& m : messages)
        receive(m);
}

std::vector<json::value> client_doc::of_type(std::string_view type) const {
    std::vector<json::value> out;
    for (const auto& v : received)
        if (v.at("type") == json::value(type)) out.push_back(v);
    return out;
}

namespace {

void indent(std::string& out, int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth), ' ');
}

void write_pretty(std::string& out, const json::value& v, int depth) {
    switch (v.kind()) {
    case json::kind::object: {
        const auto& o = v.get_object();
        if (o.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& kv : o) {
            if (!first) out += ',';
            first = false;
            indent(out, depth + 1);
            out += json::serialize(json::string_view(kv.key()));
            out += ": ";
            write_pretty(out, kv.value(), depth + 1);
        }
        indent(out, depth);
        out += '}';
        return;
    }
    case json::kind::array: {
        const auto& a = v.get_array();
        if (a.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (i) out += ',';
            indent(out, depth + 1);
            write_pretty(out, a[i], depth + 1);
        }
        indent(out, depth);
        out += ']';
        return;
    }
    case json::kind::double_: {
        // Shortest text that reads back as the same double; integral values keep a ".0" so that
        // they parse as doubles again (the encoder's kind is part of what the tests compare).
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
        std::string text(buf, end);
        if (text.find_first_of(".e") == std::string::npos) text += ".0";
        out += text;
        return;
    }
    default:
        out += json::serialize(v);
        return;
    }
}

bool updating_golden() {
    const char* u = std::getenv("PROCPULSE_UPDATE_GOLDEN");
    return u && std::string_view(u) == "1";
}

} // namespace

std::string pretty(const json::value& v) {
    std::string out;
    write_pretty(out, v, 0);
    return out;
}

std::string fixture_path(std::string_view relative) {
    return std::string(PROCPULSE_SHARED_FIXTURES) + "/" + std::string(relative);
}

json::value read_fixture(std::string_view relative) {
    std::ifstream in(fixture_path(relative), std::ios::binary);
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << fixture_path(relative));
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
}

void check_golden(std::string_view name, const std::string& message) {
    json::value actual = parse(message);
    const std::string relative = "server/" + std::string(name);
    if (updating_golden()) {
        std::ofstream out(fixture_path(relative), std::ios::binary | std::ios::trunc);
        out << pretty(actual) << '\n';
        BOOST_TEST(static_cast<bool>(out), "cannot write " << fixture_path(relative));
        BOOST_TEST_MESSAGE("wrote " << fixture_path(relative));
        return;
    }
    json::value expected = read_fixture(relative);
    std::string difference;
    if (auto d = core::merge_diff(expected, actual)) difference = json::serialize(*d);
    BOOST_TEST(actual == expected, name << " differs from its golden file"
                                        << "\n  encoder: " << message
                                        << "\n  golden -> encoder (merge patch): " << difference);
}

protocol::live_read fake_env::read_now(int pid, bool full) {
    auto it = live.find(pid);
    if (it == live.end()) return {};
    protocol::live_read r = it->second;
    if (r.what == protocol::live_read::status::read && !full) {
        r.what = protocol::live_read::status::exists;
        r.sample.reset();
    }
    if (r.sample) ++full_reads;
    return r;
}

} // namespace procpulse::test
