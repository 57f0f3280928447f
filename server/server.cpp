// run_server: wires the collector, sampler, hub and listener, and shuts them down on a signal.
#include "config/config.hpp"
#include "core/collector.hpp"
#include "sampler/sampler.hpp"
#include "sampler/users.hpp"
#include "transport/hub.hpp"
#include "transport/listener.hpp"
#include "util/log.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <unistd.h>

namespace procpulse {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string make_epoch() {
    std::random_device rd;
    std::uint64_t r = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    r ^= static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
    return buf;
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

} // namespace

int run_server(const config::config& cfg) {
    core::collector_options opts;
    opts.clk_tck = ::sysconf(_SC_CLK_TCK);
    opts.page_size = ::sysconf(_SC_PAGESIZE);
    opts.keep_open = cfg.keep_open;
    core::collector coll(cfg.proc_root, opts, sampler::system_user_name);

    // A first sweep before serving, so that the first clients get data at once.
    auto first = coll.sweep(sampler::sampler::now());

    protocol::server_info info;
    info.epoch = make_epoch();
    info.host = host_name();
    info.interval_ms = cfg.interval.count();
    info.history_ms = cfg.history.count();
    info.cpu_count = first.snap->system.cpu_count;
    info.page_size = opts.page_size;
    info.mem_total = first.snap->system.mem_total;
    const auto points = static_cast<std::size_t>(cfg.history.count() / cfg.interval.count());
    transport::hub hub(info, points, opts.page_size);
    hub.publish(first.snap);

    http::watch_list watched;
    net::io_context ioc(static_cast<int>(cfg.threads));
    transport::server_context ctx{cfg, hub, watched, http::static_files(cfg.static_dir), {},
                                  transport::connection_limiter(cfg.lim.max_connections,
                                                                cfg.lim.max_connections_per_ip)};

    tcp::endpoint ep(net::ip::make_address(cfg.listen_host), cfg.listen_port);
    auto lst = std::make_shared<transport::listener>(ioc, ep, ctx);
    auto bound = lst->local_endpoint();
    ctx.addr = {cfg.listen_host, bound.port()};

    sampler::sampler smp(coll, cfg.interval, cfg.interval);
    smp.on_snapshot([&hub](const core::snapshot_ptr& snap) { hub.publish(snap); });
    smp.on_sweep_time([&ctx](double seconds) { ctx.last_sweep_seconds = seconds; });
    lst->run();
    smp.start();

    std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                               : bound.address().to_string();
    std::string url = "http://" + host + ":" + std::to_string(bound.port()) + "/";
    log::info("procpulse listening on " + url + " (interval " + std::to_string(cfg.interval.count()) +
              " ms, " + std::to_string(first.snap->processes.size()) + " processes)");
    std::fprintf(stderr, "procpulse: listening on %s\n", url.c_str());
    if (!cfg.token && !config::is_loopback_host(cfg.listen_host))
        log::warn("listening on a non-loopback address without a token");

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer grace(ioc);
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec) return;
        log::info("signal " + std::to_string(sig) + ": closing connections and stopping");
        lst->stop();
        smp.stop();
        hub.close_all();
        // Give close handshakes a moment, then stop whatever is left.
        grace.expires_after(std::chrono::milliseconds(800));
        grace.async_wait([&](boost::system::error_code) { ioc.stop(); });
    });

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < cfg.threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    smp.stop();
    log::info("stopped");
    return 0;
}

} // namespace procpulse
