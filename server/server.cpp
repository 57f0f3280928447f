// run_server: wires the collector, sampler, hub, store, alerts and listener, and shuts them down
// on a signal.
#include "actions/process_actions.hpp"
#include "alerts/alert_service.hpp"
#include "config/config.hpp"
#include "core/collector.hpp"
#include "core/stitch.hpp"
#include "core/threads.hpp"
#include "procfs/fs_usage.hpp"
#include "procfs/pid_task.hpp"
#include "sampler/on_demand.hpp"
#include "sampler/sampler.hpp"
#include "sampler/users.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"
#include "transport/hub.hpp"
#include "transport/listener.hpp"
#include "util/log.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <sys/resource.h>
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

double wall_now() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
}

/**
 * Where to listen: an address literal as given, or a name (localhost, a host name) resolved, IPv4
 * first. Throws with the name and the resolver's reason when it cannot be resolved.
 */
tcp::endpoint listen_endpoint(net::io_context& ioc, const std::string& host, std::uint16_t port) {
    boost::system::error_code ec;
    auto addr = net::ip::make_address(host, ec);
    if (!ec) return {addr, port};
    tcp::resolver resolver(ioc);
    auto found = resolver.resolve(host, std::to_string(port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || found.empty())
        throw std::runtime_error("cannot resolve the --listen host " + host + ": " +
                                 (ec ? ec.message() : std::string("no address")));
    for (const auto& e : found)
        if (e.endpoint().address().is_v4()) return e.endpoint();
    return found.begin()->endpoint();
}

/**
 * RLIMIT_NOFILE after raising the soft limit to the hard one (Asio uses epoll, never select, so a
 * large limit is safe): a service's default soft 1024 would otherwise bound what it serves.
 */
std::uint64_t nofile_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur != rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = std::min<rlim_t>(rl.rlim_max, rlim_t{1} << 20);
        if (raised.rlim_cur > rl.rlim_cur && ::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20 : rl.rlim_cur;
}

} // namespace

int run_server(const config::config& cfg) {
    core::collector_options opts;
    opts.clk_tck = ::sysconf(_SC_CLK_TCK);
    opts.page_size = ::sysconf(_SC_PAGESIZE);
    opts.keep_open = cfg.keep_open;
    opts.full_read_every = cfg.full_read_every;
    opts.fs_stat = procfs::read_fs_usage;
    const std::uint64_t nofile = nofile_limit();
    opts.fd_budget = cfg.keep_open ? core::fd_budget_for(nofile, cfg.lim.max_connections) : 0;
    log::info("file descriptor limit " + std::to_string(nofile) +
              ": /proc files kept open within " + std::to_string(opts.fd_budget));
    core::collector coll(cfg.proc_root, opts, sampler::system_user_name);

    // Persistence (optional): a bad database stops the start with a clear error.
    std::unique_ptr<store::store> db;
    const std::vector<core::tier> tiers = *core::parse_tiers(cfg.retention);
    if (cfg.db_path != ":memory:") {
        std::string path = cfg.db_path.empty() ? store::default_path() : cfg.db_path;
        // Without --db, a default location this user cannot write (HOME read-only, another
        // user's) is no reason to refuse: history stays in memory, and hello says so. A --db
        // given by hand that cannot be used stops the start.
        if (cfg.db_path.empty() && !store::writable_location(path))
            log::warn(
                "cannot write the default database " + path +
                ": history is kept in memory only (not persisted); pass --db PATH to keep it");
        else {
            db = std::make_unique<store::store>(path);
            log::info("database " + path);
        }
    }
    http::watch_list watched;
    if (db) {
        watched.assign(db->load_watch());
        watched.on_change = [&db](const std::vector<int>& pids) -> std::optional<std::string> {
            try {
                db->save_watch(pids, wall_now());
                return std::nullopt;
            } catch (const std::exception& e) {
                log::error(std::string("saving the watch list failed: ") + e.what());
                return std::string(e.what());
            }
        };
    }
    alerts::alert_service alert_svc(db.get());
    alert_svc.load(cfg.alerts_file);
    std::unique_ptr<store::writer> writer;
    if (db) {
        writer = std::make_unique<store::writer>(*db, tiers, cfg.flush_interval,
                                                 [&watched] { return watched.pids(); });
        alert_svc.persist_events(
            [w = writer.get()](store::event_row e) { w->submit_event(std::move(e)); });
        // A database deleted while running is started again: the state kept there goes back in.
        writer->on_recreated([&watched, &alert_svc] {
            if (auto e = watched.save_again(); !e.empty())
                log::error("saving the watch list again failed: " + e);
            try {
                alert_svc.save_rules_again();
            } catch (const std::exception& e) {
                log::error(std::string("saving the alert rules again failed: ") + e.what());
            }
        });
    }

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
    info.history_persisted = db != nullptr;
    info.actions_allowed = cfg.allow_actions;
    sampler::log_problems(first);
    const auto points = static_cast<std::size_t>(cfg.history.count() / cfg.interval.count());

    transport::hub_hooks hooks;
    hooks.alerts = [&alert_svc](const core::snapshot& snap) {
        protocol::tick_alerts a;
        for (const auto& e : alert_svc.evaluate(snap))
            a.events.push_back(core::alert_event_json(e));
        a.active = alert_svc.active_json();
        a.rule_changes = alert_svc.take_rule_changes();
        return a;
    };
    hooks.recent_alerts = [&alert_svc] {
        auto o = alert_svc.overview(50);
        return o["recent"].as_array();
    };
    if (writer) hooks.published = [&writer](const core::snapshot_ptr& s) { writer->submit(s); };
    if (writer)
        hooks.store_error = [&writer] { return writer->failure(); };
    transport::hub* hub_ptr = nullptr;
    // Processes started since the last sweep, read when a request names them.
    sampler::on_demand live(cfg.proc_root, opts, sampler::system_user_name);
    hooks.read_now = [&live, &hub_ptr](int pid, bool full) {
        protocol::live_read r;
        auto snap = hub_ptr->latest_snapshot();
        if (full && snap) {
            r.sample = live.read(pid, *snap);
            if (r.sample) r.what = protocol::live_read::status::read;
        } else if (live.exists(pid)) {
            r.what = protocol::live_read::status::exists;
        }
        r.time = wall_now(); // after the read: a sweep that started before cannot know it
        return r;
    };
    // History from memory, extended into the past from the store.
    auto process_history = [&](int pid, std::optional<std::uint64_t> start, double from,
                               double to) -> std::optional<core::series> {
        std::optional<core::process_key> key;
        if (start)
            key = core::process_key{pid, *start};
        else
            key = hub_ptr->latest_key(pid);
        if (!key && db) {
            if (auto s = db->latest_start(pid)) key = core::process_key{pid, *s};
        }
        if (!key) return std::nullopt;
        auto mem = hub_ptr->process_range(*key, from, to);
        core::tier_reader read;
        if (db)
            read = [&db, k = *key](std::int64_t step, double lo, double before) {
                return db->process_history(k, lo, before, step);
            };
        return core::stitch(std::move(mem), tiers, from, to, wall_now(), read,
                            core::process_column_count);
    };
    hooks.query = process_history;
    transport::hub hub(info, points, opts.page_size, hooks);
    hub_ptr = &hub;
    hub.publish(first.snap);

    transport::server_context ctx{
        cfg,
        hub,
        watched,
        http::static_files(cfg.static_dir, cfg.allow_embed),
        {},
        transport::connection_limiter(cfg.lim.max_connections, cfg.lim.max_connections_per_ip),
        transport::pending_budget(cfg.lim.max_pending_per_ip),
        {},
        {},
        {}};
    ctx.process_history = process_history;
    ctx.system_history = [&](double from, double to) {
        core::tier_reader read;
        if (db)
            read = [&db](std::int64_t step, double lo, double before) {
                return std::optional<core::series>(db->system_history(lo, before, step));
            };
        auto s = core::stitch(hub.system_range(from, to), tiers, from, to, wall_now(), read,
                              core::system_column_count);
        if (s) return std::move(*s);
        core::series none;
        none.values.resize(core::system_column_count);
        return none;
    };
    ctx.alerts = &alert_svc;
    actions::action_log action_log;
    if (db) action_log.load(db->recent_actions(200));
    if (writer)
        action_log.persist = [w = writer.get()](double t, const std::string& json) {
            w->submit_event(store::event_row{t, 0, "action", json});
        };
    ctx.recent_actions = [&action_log] { return action_log.recent(); };
    if (cfg.allow_actions)
        ctx.act = [&cfg, &action_log](const http::action_request& r, const std::string& peer,
                                      bool token) {
            auto done = actions::perform(cfg.proc_root, r);
            action_log.record({peer, token}, r, done, wall_now());
            log::info("action by " + peer + (token ? " (token)" : "") + ": " + done.message);
            return done;
        };
    ctx.history_persisted = db != nullptr;
    if (writer)
        ctx.store_health = [&writer] {
            auto h = writer->status();
            return http::store_health{true, h.failing, h.last_error, h.dropped_rows,
                                      h.pending_rows};
        };
    ctx.read_now = [&live, &hub](int pid) -> std::optional<core::process_sample> {
        auto snap = hub.latest_snapshot();
        if (!snap) return std::nullopt;
        return live.read(pid, *snap);
    };
    ctx.read_new = [&live, &hub] {
        auto snap = hub.latest_snapshot();
        return snap ? live.read_new(*snap, 4096) : std::vector<core::process_sample>{};
    };
    // Threads and open files of one process, read when asked (the detail view polls them).
    procfs::root proc_dir(cfg.proc_root);
    std::mutex thread_mutex;
    core::thread_rates thread_cpu(opts.clk_tck);
    ctx.threads = [&](int pid) {
        http::thread_view v;
        auto tasks = procfs::read_tasks(proc_dir.fd(), pid);
        v.status = tasks.status;
        if (tasks.status != procfs::read_status::ok) return v;
        if (tasks.threads.empty()) {
            v.status = procfs::read_status::gone;
            return v;
        }
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
        {
            std::lock_guard lock(thread_mutex);
            v.report = thread_cpu.update(pid, tasks.threads, ns, 1000);
        }
        auto fds = procfs::read_fds(proc_dir.fd(), pid, 0);
        v.fd_status = fds.status;
        v.fd_count = fds.total;
        return v;
    };
    ctx.fds = [&proc_dir](int pid, std::size_t limit) {
        return procfs::read_fds(proc_dir.fd(), pid, limit);
    };
    ctx.describe = [&hub](int pid, std::optional<std::uint64_t> start)
        -> std::optional<http::api_context::process_info> {
        auto key = start ? std::optional<core::process_key>(core::process_key{pid, *start})
                         : hub.latest_key(pid);
        if (!key) return std::nullopt;
        auto d = hub.describe(*key);
        if (!d) return std::nullopt;
        return http::api_context::process_info{key->start_ticks, d->name,
                                               d->cmdline ? *d->cmdline : "", *d};
    };

    // Declared after everything its handlers use (ctx and its connection limiter, the hub), so
    // that at exit the sessions still held by abandoned handlers are destroyed first.
    transport::io_pool pool(cfg.threads);
    const tcp::endpoint ep = listen_endpoint(pool.at(0), cfg.listen_host, cfg.listen_port);
    auto lst = std::make_shared<transport::listener>(pool, ep, ctx);
    auto bound = lst->local_endpoint();
    ctx.addr = {cfg.listen_host, bound.port()};

    sampler::sampler smp(coll, cfg.interval, cfg.interval);
    smp.on_snapshot([&hub](const core::snapshot_ptr& snap) { hub.publish(snap); });
    smp.on_sweep_time([&ctx](double seconds) { ctx.last_sweep_seconds = seconds; });
    smp.focus_provider([&hub, &watched] {
        auto f = hub.interest_pids();
        auto w = watched.pids();
        f.insert(f.end(), w.begin(), w.end());
        return f;
    });
    lst->run();
    smp.start();

    std::string host = bound.address().to_string();
    if (bound.address().is_v6()) host = std::string("[").append(host).append("]");
    std::string url = "http://" + host + ":" + std::to_string(bound.port()) + "/";
    if (ctx.files.placeholder())
        log::warn("web app not built into this binary (" +
                  std::string(http::web_app_missing_reason()) +
                  "): / serves a placeholder page. Install Node 20 and npm, run scripts/run.sh");
    log::info("procpulse listening on " + url + " (interval " +
              std::to_string(cfg.interval.count()) + " ms, " +
              std::to_string(first.snap->processes.size()) + " processes)");
    log::info("embed policy: frame-ancestors " + cfg.allow_embed +
              " (pages of other origins may frame the app only when --allow-embed names them)");
    if (!cfg.allow_origins.empty()) {
        std::string list;
        for (const auto& o : cfg.allow_origins)
            list += (list.empty() ? "" : ", ") + o;
        log::info("allowed origins (WebSocket, CORS for /api/* and /procpulse-client.js): " + list);
    }
    std::fprintf(stderr, "procpulse: listening on %s\n", url.c_str());

    net::signal_set signals(pool.at(0), SIGINT, SIGTERM);
    net::steady_timer grace(pool.at(0));
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec) return;
        log::info("signal " + std::to_string(sig) + ": closing connections and stopping");
        lst->stop();
        smp.stop();
        hub.close_all();
        // Give close handshakes a moment, then stop whatever is left.
        grace.expires_after(std::chrono::milliseconds(800));
        grace.async_wait([&](boost::system::error_code) { pool.stop(); });
    });

    pool.run();
    smp.stop();
    if (writer) writer->stop(); // flush what is left
    log::info("stopped");
    return 0;
}

} // namespace procpulse
