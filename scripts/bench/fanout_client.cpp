// fanout_client: the load client of issue #3's fan-out benchmark (run it with fanout.sh).
//
// Opens C WebSocket connections to ws://127.0.0.1:PORT/ws at a bounded rate; each subscribes to
// 10 PIDs and the `system` topic. After a warm-up it measures for D seconds, per `delta`:
//   latency   receipt wall clock - the delta's `time` (the wall clock at the START of the /proc
//             sweep that produced it, so the sweep itself is included),
//   spread    receipt - the earliest receipt of the same tick by any client (the fan-out alone:
//             the sweep, tick encoding and this client's scheduling of the first read drop out),
//   interval  receipt - the same client's previous delta receipt (jitter around the interval),
//   after-sweep  latency - that tick's sweep duration (procpulse_sweep_seconds from GET /metrics,
//             read once per tick after its fan-out): from the end of the sweep to receipt,
// and the delta payload bytes per client per second. Then every client sends `resync` a few
// times; the size of the `"full":true` snapshot without its `history` member is what a server
// that pushed full state every tick would send per tick. Prints one JSON object on stdout.
//
// Threads: W workers, each with its own io_context and a share of the connections (no strands).
// A poller thread reads GET /metrics once per tick for the server's sweep duration.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::size_t connections = 100;
    double duration = 60;
    double warmup = 3;
    double connect_rate = 200; // connections per second
    unsigned threads = 1;
    std::vector<int> pids;
    std::size_t per_client = 10;
    std::size_t resyncs = 3;
    std::size_t dump = 0; // print the first N deltas of the first connection to stderr
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(
        stderr,
        "fanout_client: %s\n"
        "usage: fanout_client --port P [--host 127.0.0.1] [--connections C] [--duration S]\n"
        "       [--warmup S] [--connect-rate N/s] [--threads W] [--pids a,b,...]\n"
        "       [--per-client 10] [--resyncs 3] [--dump N]\n"
        "Without --pids, the first 10 of GET /api/processes/list?sort=rss are used.\n"
        "With more PIDs than --per-client, client i takes them round-robin from i.\n",
        why);
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--host")
            o.host = val();
        else if (a == "--port")
            o.port = static_cast<unsigned short>(std::stoi(val()));
        else if (a == "--connections")
            o.connections = std::stoul(val());
        else if (a == "--duration")
            o.duration = std::stod(val());
        else if (a == "--warmup")
            o.warmup = std::stod(val());
        else if (a == "--connect-rate")
            o.connect_rate = std::stod(val());
        else if (a == "--threads")
            o.threads = static_cast<unsigned>(std::stoul(val()));
        else if (a == "--per-client")
            o.per_client = std::stoul(val());
        else if (a == "--resyncs")
            o.resyncs = std::stoul(val());
        else if (a == "--dump")
            o.dump = std::stoul(val());
        else if (a == "--pids") {
            std::stringstream ss(val());
            for (std::string p; std::getline(ss, p, ',');)
                if (!p.empty()) o.pids.push_back(std::stoi(p));
        } else
            usage(("unknown argument " + a).c_str());
    }
    if (o.port == 0) usage("--port is required");
    if (o.connections == 0 || o.threads == 0 || o.connect_rate <= 0 || o.duration <= 0)
        usage("counts, rates and durations must be positive");
    return o;
}

double now_wall() {
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count() / 1e9;
}

/** Number after `"key":` in a server message (the server writes its members in a fixed order). */
std::optional<double> number_after(std::string_view s, std::string_view key) {
    auto at = s.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    const char* b = s.data() + at + key.size();
    double v = 0;
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
}

std::string http_get(const std::string& host, unsigned short port, const std::string& target) {
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.expires_after(5s);
    s.connect(tcp::endpoint(net::ip::make_address(host), port));
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, host + ":" + std::to_string(port));
    http::write(s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res);
    beast::error_code ec;
    s.socket().shutdown(tcp::socket::shutdown_both, ec);
    if (res.result() != http::status::ok)
        throw std::runtime_error("GET " + target + ": " + std::to_string(res.result_int()));
    return res.body();
}

enum class phase : int { connect, warmup, measure, resync, done };
std::atomic<int> g_phase{static_cast<int>(phase::connect)};
std::atomic<double> g_newest_tick{0}; // `time` of the newest delta received by any client
phase current_phase() {
    return static_cast<phase>(g_phase.load(std::memory_order_relaxed));
}

struct sample {
    double tick_time;
    double recv;
};

/** Per-worker results; touched only by the worker's thread until the workers are joined. */
struct worker_stats {
    std::vector<sample> deltas;
    std::vector<double> intervals;
};

struct counters {
    std::atomic<std::size_t> ready{0}, failed{0}, closed{0}, closed_early{0}, gone{0}, errors{0},
        seq_gaps{0};
    std::atomic<std::size_t> resync_replies{0};
    std::mutex mutex;
    std::string first_error;
};

class conn : public std::enable_shared_from_this<conn> {
public:
    conn(net::io_context& ioc, const options& o, counters& c, worker_stats& w,
         std::string subscribe, std::size_t dump)
        : ws_(ioc), opt_(o), c_(c), w_(w), subscribe_(std::move(subscribe)), dump_(dump) {}

    void start() {
        beast::get_lowest_layer(ws_).expires_after(10s);
        beast::get_lowest_layer(ws_).async_connect(
            tcp::endpoint(net::ip::make_address(opt_.host), opt_.port),
            beast::bind_front_handler(&conn::on_connect, shared_from_this()));
    }

    void send(std::string msg) {
        if (closed_) return;
        queue_.push_back(std::move(msg));
        if (!writing_) do_write();
    }

    void close() {
        if (closed_ || !open_) return;
        closing_ = true;
        ws_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](beast::error_code) {});
    }

    std::size_t delta_bytes() const { return delta_bytes_; }
    std::size_t delta_count() const { return delta_count_; }
    const std::vector<std::size_t>& full_state_bytes() const { return full_state_bytes_; }
    const std::vector<std::size_t>& full_total_bytes() const { return full_total_bytes_; }
    bool ready() const { return ready_; }

private:
    void on_connect(beast::error_code ec) {
        if (ec) return fail(ec, "connect");
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        ws_.async_handshake(opt_.host + ":" + std::to_string(opt_.port), "/ws",
                            beast::bind_front_handler(&conn::on_handshake, shared_from_this()));
    }

    void on_handshake(beast::error_code ec) {
        if (ec) return fail(ec, "handshake");
        open_ = true;
        ws_.text(true);
        do_read();
        send(subscribe_);
        send(R"({"type":"subscribe","topic":"system","id":2})");
    }

    void do_read() {
        ws_.async_read(buf_, beast::bind_front_handler(&conn::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        const double recv = now_wall(); // first thing: the receipt time
        if (ec) {
            if (!closing_) fail(ec, "read");
            closed_ = true;
            c_.closed.fetch_add(1);
            if (current_phase() != phase::done) c_.closed_early.fetch_add(1);
            return;
        }
        const std::size_t size = buf_.size();
        std::string_view s(static_cast<const char*>(buf_.data().data()), size);
        on_message(s, recv);
        buf_.consume(size);
        do_read();
    }

    void check_seq(std::optional<double> seq) {
        if (!seq) return;
        auto n = static_cast<std::uint64_t>(*seq);
        if (last_seq_ && n != last_seq_ + 1) c_.seq_gaps.fetch_add(1);
        last_seq_ = n;
    }

    void on_message(std::string_view s, double recv) {
        // Deltas: the hot path, no JSON parse (the server writes type, seq, epoch, time first).
        if (s.starts_with(R"({"type":"delta")")) {
            check_seq(number_after(s, R"("seq":)"));
            auto t = number_after(s, R"("time":)");
            if (!t || current_phase() != phase::measure) return;
            if (*t > g_newest_tick.load(std::memory_order_relaxed))
                g_newest_tick.store(*t, std::memory_order_relaxed);
            w_.deltas.push_back({*t, recv});
            if (last_delta_recv_ > 0) w_.intervals.push_back(recv - last_delta_recv_);
            last_delta_recv_ = recv;
            delta_bytes_ += s.size();
            ++delta_count_;
            if (dump_ > 0) {
                --dump_;
                std::fprintf(stderr, "%.*s\n", static_cast<int>(s.size()), s.data());
            }
            return;
        }
        boost::system::error_code jec;
        json::value v = json::parse(s, jec);
        if (jec || !v.is_object()) return;
        auto& o = v.as_object();
        check_seq(o.contains("seq") ? std::optional<double>(o.at("seq").to_number<double>())
                                    : std::nullopt);
        std::string_view type =
            o.contains("type") ? std::string_view(o.at("type").as_string()) : "";
        if (type == "ack") {
            if (++acks_ == 2 && !ready_) {
                ready_ = true;
                c_.ready.fetch_add(1);
            }
        } else if (type == "snapshot") {
            if (o.contains("full") && o.at("full").as_bool()) {
                full_total_bytes_.push_back(s.size());
                o.erase("history");
                full_state_bytes_.push_back(json::serialize(o).size());
                c_.resync_replies.fetch_add(1);
            }
        } else if (type == "gone") {
            c_.gone.fetch_add(1);
        } else if (type == "error") {
            c_.errors.fetch_add(1);
            std::lock_guard lock(c_.mutex);
            if (c_.first_error.empty()) c_.first_error = std::string(s.substr(0, 300));
        }
    }

    void do_write() {
        if (queue_.empty() || closed_) return;
        writing_ = true;
        ws_.async_write(net::buffer(queue_.front()),
                        beast::bind_front_handler(&conn::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        writing_ = false;
        if (ec) return fail(ec, "write");
        queue_.pop_front();
        do_write();
    }

    void fail(beast::error_code ec, const char* what) {
        if (!open_) c_.failed.fetch_add(1);
        if (ec == net::error::operation_aborted || ec == websocket::error::closed) return;
        std::lock_guard lock(c_.mutex);
        if (c_.first_error.empty()) c_.first_error = std::string(what) + ": " + ec.message();
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buf_;
    const options& opt_;
    counters& c_;
    worker_stats& w_;
    std::string subscribe_;
    std::size_t dump_;
    std::deque<std::string> queue_;
    bool writing_ = false, open_ = false, closing_ = false, closed_ = false, ready_ = false;
    int acks_ = 0;
    std::uint64_t last_seq_ = 0;
    double last_delta_recv_ = 0;
    std::size_t delta_bytes_ = 0, delta_count_ = 0;
    std::vector<std::size_t> full_state_bytes_, full_total_bytes_;
};

struct worker {
    net::io_context ioc{1};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard{
        net::make_work_guard(ioc)};
    worker_stats stats;
    std::vector<std::shared_ptr<conn>> conns;
    std::thread thread;
};

/** Runs f on every connection of every worker, on the worker's thread. */
template <class F> void for_each_conn(std::vector<std::unique_ptr<worker>>& ws, F f) {
    for (auto& w : ws)
        net::post(w->ioc, [&w = *w, f] {
            for (auto& c : w.conns)
                f(*c);
        });
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

json::object summary_ms(std::vector<double> v) {
    for (auto& x : v)
        x *= 1000.0;
    json::object o;
    o["count"] = v.size();
    double sum = 0;
    for (double x : v)
        sum += x;
    auto r = [](double x) { return std::round(x * 1000.0) / 1000.0; };
    o["mean"] = r(v.empty() ? 0 : sum / static_cast<double>(v.size()));
    o["p50"] = r(percentile(v, 50));
    o["p90"] = r(percentile(v, 90));
    o["p99"] = r(percentile(v, 99));
    o["p999"] = r(percentile(v, 99.9));
    o["max"] = r(v.empty() ? 0 : v.back());
    if (!v.empty()) o["min"] = r(v.front());
    return o;
}

double metric_value(const std::string& text, std::string_view name) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ' ')
            return std::stod(line.substr(name.size() + 1));
    return -1;
}

double cpu_seconds_self() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv) try {
    options opt = parse_args(argc, argv);

    if (opt.pids.empty()) {
        auto list =
            json::parse(http_get(opt.host, opt.port, "/api/processes/list?sort=rss&limit=10"));
        for (const auto& p : list.at("processes").as_array())
            opt.pids.push_back(static_cast<int>(p.at("pid").to_number<std::int64_t>()));
    }
    if (opt.pids.empty()) usage("no PIDs to subscribe to");
    const std::size_t per_client = std::min(opt.per_client, opt.pids.size());

    counters cnt;
    std::vector<std::unique_ptr<worker>> workers;
    for (unsigned i = 0; i < opt.threads; ++i)
        workers.push_back(std::make_unique<worker>());
    for (auto& w : workers)
        w->thread = std::thread([&w = *w] { w.ioc.run(); });

    // Connect at a bounded rate; client i subscribes to PIDs i, i+1, ... of the list (mod its
    // size).
    const double t_connect = now_wall();
    const auto gap = std::chrono::duration<double>(1.0 / opt.connect_rate);
    auto next = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < opt.connections; ++i) {
        json::array pids;
        for (std::size_t k = 0; k < per_client; ++k)
            pids.push_back(opt.pids[(i + k) % opt.pids.size()]);
        std::string sub =
            json::serialize(json::object{{"type", "subscribe"}, {"pids", pids}, {"id", 1}});
        auto& w = *workers[i % workers.size()];
        net::post(w.ioc, [&w, &opt, &cnt, sub = std::move(sub), dump = i == 0 ? opt.dump : 0] {
            auto c = std::make_shared<conn>(w.ioc, opt, cnt, w.stats, sub, dump);
            w.conns.push_back(c);
            c->start();
        });
        next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(gap);
        std::this_thread::sleep_until(next);
    }
    // Wait for every connection to be subscribed (or to have failed), 60 s at most.
    for (auto end = std::chrono::steady_clock::now() + 60s;
         std::chrono::steady_clock::now() < end;) {
        if (cnt.ready + cnt.failed + cnt.closed >= opt.connections) break;
        std::this_thread::sleep_for(20ms);
    }
    const double connect_seconds = now_wall() - t_connect;
    std::fprintf(stderr,
                 "fanout_client: %zu of %zu connections subscribed in %.1f s (%zu failed)\n",
                 cnt.ready.load(), opt.connections, connect_seconds, cnt.failed.load());

    g_phase = static_cast<int>(phase::warmup);
    std::this_thread::sleep_for(std::chrono::duration<double>(opt.warmup));

    // The measurement window. For each tick, 150 ms after its first delta arrived (the fan-out
    // is over, the next sweep is far), GET /metrics: procpulse_sweep_seconds is still that tick's
    // sweep duration, so latency minus sweep = from the end of the sweep to receipt.
    std::map<double, double> sweep_of; // tick time -> its sweep duration (s)
    std::vector<double> sweeps, process_counts;
    std::atomic<bool> polling{true};
    std::thread poller([&] {
        double seen = 0;
        while (polling) {
            std::this_thread::sleep_for(20ms);
            double t = g_newest_tick.load(std::memory_order_relaxed);
            if (t <= seen) continue;
            seen = t;
            std::this_thread::sleep_for(150ms);
            try {
                std::string text = http_get(opt.host, opt.port, "/metrics");
                double v = metric_value(text, "procpulse_sweep_seconds");
                double n = metric_value(text, R"(procpulse_processes{kind="processes"})");
                if (v >= 0 && g_newest_tick.load() == t) {
                    sweep_of[t] = v;
                    sweeps.push_back(v);
                }
                if (n >= 0) process_counts.push_back(n);
            } catch (const std::exception&) {
            }
        }
    });
    const double cpu0 = cpu_seconds_self();
    const double w0 = now_wall();
    g_phase = static_cast<int>(phase::measure);
    std::this_thread::sleep_for(std::chrono::duration<double>(opt.duration));
    g_phase = static_cast<int>(phase::resync);
    const double window = now_wall() - w0;
    const double client_cpu = cpu_seconds_self() - cpu0;
    polling = false;
    poller.join();

    // Full snapshots for the same subscriptions: `resync` a few times per client, 400 ms apart.
    const std::size_t ready_at_end = cnt.ready - std::min<std::size_t>(cnt.ready, cnt.closed);
    for (std::size_t k = 0; k < opt.resyncs; ++k) {
        for_each_conn(workers, [](conn& c) {
            if (c.ready()) c.send(R"({"type":"resync"})");
        });
        std::this_thread::sleep_for(400ms);
    }
    for (auto end = std::chrono::steady_clock::now() + 15s;
         std::chrono::steady_clock::now() < end;) {
        if (cnt.resync_replies >= ready_at_end * opt.resyncs) break;
        std::this_thread::sleep_for(20ms);
    }

    g_phase = static_cast<int>(phase::done);
    for_each_conn(workers, [](conn& c) { c.close(); });
    for (auto end = std::chrono::steady_clock::now() + 3s;
         std::chrono::steady_clock::now() < end;) {
        if (cnt.closed + cnt.failed >= opt.connections) break;
        std::this_thread::sleep_for(20ms);
    }
    for (auto& w : workers) {
        w->guard.reset();
        w->ioc.stop();
        w->thread.join();
    }

    // Merge the workers' results.
    std::vector<sample> all;
    std::vector<double> intervals;
    std::size_t delta_bytes = 0, delta_count = 0, clients = 0, min_deltas = SIZE_MAX,
                max_deltas = 0;
    std::vector<double> full_state, full_total;
    for (auto& w : workers) {
        all.insert(all.end(), w->stats.deltas.begin(), w->stats.deltas.end());
        intervals.insert(intervals.end(), w->stats.intervals.begin(), w->stats.intervals.end());
        for (auto& c : w->conns) {
            if (!c->ready()) continue;
            ++clients;
            delta_bytes += c->delta_bytes();
            delta_count += c->delta_count();
            min_deltas = std::min(min_deltas, c->delta_count());
            max_deltas = std::max(max_deltas, c->delta_count());
            for (auto b : c->full_state_bytes())
                full_state.push_back(static_cast<double>(b));
            for (auto b : c->full_total_bytes())
                full_total.push_back(static_cast<double>(b));
        }
    }
    std::map<double, double> first_recv; // tick time -> earliest receipt
    for (const auto& s : all) {
        auto [it, fresh] = first_recv.try_emplace(s.tick_time, s.recv);
        if (!fresh) it->second = std::min(it->second, s.recv);
    }
    std::vector<double> latency, spread, first_latency, after_sweep;
    for (const auto& s : all) {
        latency.push_back(s.recv - s.tick_time);
        spread.push_back(s.recv - first_recv[s.tick_time]);
        if (auto it = sweep_of.find(s.tick_time); it != sweep_of.end())
            after_sweep.push_back(s.recv - s.tick_time - it->second);
    }
    for (const auto& [t, r] : first_recv)
        first_latency.push_back(r - t);
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v)
            s += x;
        return v.empty() ? 0.0 : s / static_cast<double>(v.size());
    };

    const double ticks_per_sec = static_cast<double>(first_recv.size()) / window;
    const double delta_bpcs =
        clients ? static_cast<double>(delta_bytes) / static_cast<double>(clients) / window : 0;
    const double full_bpcs = mean(full_state) * ticks_per_sec;

    json::object out;
    out["connections"] = opt.connections;
    out["clients_measured"] = clients;
    out["connect_failures"] = cnt.failed.load();
    out["closed_early"] = cnt.closed_early.load();
    out["connect_seconds"] = std::round(connect_seconds * 100) / 100;
    out["window_seconds"] = std::round(window * 1000) / 1000;
    out["window_start"] = w0; // wall clock, seconds since the epoch (for the server's CPU samples)
    out["window_end"] = w0 + window;
    out["client_threads"] = opt.threads;
    out["client_cpu_percent"] = std::round(client_cpu / window * 1000) / 10;
    json::array pids(opt.pids.begin(), opt.pids.end());
    out["pids"] = std::move(pids);
    out["pids_per_client"] = per_client;
    out["ticks"] = first_recv.size();
    out["ticks_per_sec"] = std::round(ticks_per_sec * 1000) / 1000;
    out["deltas"] = delta_count;
    out["deltas_per_client_min"] = clients ? min_deltas : 0;
    out["deltas_per_client_max"] = max_deltas;
    out["seq_gaps"] = cnt.seq_gaps.load();
    out["gone"] = cnt.gone.load();
    out["errors"] = cnt.errors.load();
    if (!cnt.first_error.empty()) out["first_error"] = cnt.first_error;
    out["latency_ms"] = summary_ms(latency);
    out["first_receipt_latency_ms"] = summary_ms(first_latency);
    out["fanout_spread_ms"] = summary_ms(spread);
    out["interarrival_ms"] = summary_ms(intervals);
    out["server_sweep_ms"] = summary_ms(sweeps);
    out["latency_after_sweep_ms"] = summary_ms(after_sweep);
    out["server_processes"] = std::round(mean(process_counts));
    out["delta_bytes_per_client_per_sec"] = std::round(delta_bpcs * 10) / 10;
    out["delta_bytes_per_message"] =
        delta_count
            ? std::round(static_cast<double>(delta_bytes) / static_cast<double>(delta_count) * 10) /
                  10
            : 0;
    out["full_snapshot_bytes"] = std::round(mean(full_state) * 10) / 10;
    out["full_snapshot_samples"] = full_state.size();
    out["full_bytes_per_client_per_sec"] = std::round(full_bpcs * 10) / 10;
    out["delta_to_full_ratio"] =
        full_bpcs > 0 ? std::round(delta_bpcs / full_bpcs * 10000) / 10000 : 0;
    out["resync_bytes_with_history"] = std::round(mean(full_total) * 10) / 10;
    out["notes"] =
        "latency = receipt - delta.time; delta.time is the wall clock at the START of the /proc "
        "sweep, "
        "so latency includes the sweep (server_sweep_ms), the tick encoding and the fan-out. "
        "latency_after_sweep = latency minus that tick's sweep duration (from GET /metrics). "
        "first_receipt_latency = the same for the first client to receive each tick; "
        "fanout_spread = receipt - first receipt of the same tick by any client; "
        "interarrival = receipt - the same client's previous delta receipt. "
        "Bytes are WebSocket payload bytes (frame headers of 2-4 bytes and TCP/IP not counted). "
        "full_snapshot_bytes = a resync reply (snapshot, full:true) without its history member, "
        "i.e. the full state document for the same subscriptions; full_bytes_per_client_per_sec = "
        "that times ticks_per_sec.";
    std::cout << json::serialize(out) << std::endl;
    return clients > 0 ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "fanout_client: %s\n", e.what());
    return 1;
}
