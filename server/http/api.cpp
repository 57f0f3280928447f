#include "http/api.hpp"
#include "protocol/json_text.hpp"

#include "core/process_filter.hpp"
#include "protocol/messages.hpp"
#include "protocol/records.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <variant>

namespace procpulse::http {

namespace json = boost::json;
using protocol::round_to;

std::string watch_list::save(const std::function<void()>& undo) {
    if (!on_change) return {};
    std::vector<int> now(pids_.begin(), pids_.end());
    auto error = on_change(now);
    if (!error) return {};
    undo();
    return error->empty() ? "the watch list could not be saved" : *error;
}

watch_list::outcome watch_list::add(int pid) {
    std::lock_guard lock(mutex_);
    outcome o;
    if (!pids_.insert(pid).second) return o;
    o.save_error = save([&] { pids_.erase(pid); });
    o.changed = o.ok();
    return o;
}

std::string watch_list::save_again() {
    std::lock_guard lock(mutex_);
    return save([] {});
}

watch_list::outcome watch_list::remove(int pid) {
    std::lock_guard lock(mutex_);
    outcome o;
    if (pids_.erase(pid) == 0) return o;
    o.save_error = save([&] { pids_.insert(pid); });
    o.changed = o.ok();
    return o;
}

bool watch_list::contains(int pid) const {
    std::lock_guard lock(mutex_);
    return pids_.count(pid) > 0;
}

std::vector<int> watch_list::pids() const {
    std::lock_guard lock(mutex_);
    return {pids_.begin(), pids_.end()};
}

void watch_list::assign(const std::vector<int>& pids) {
    std::lock_guard lock(mutex_);
    pids_ = std::set<int>(pids.begin(), pids.end());
}

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+')
            out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else
            out += s[i];
    }
    return out;
}

api_response reply(unsigned status, const json::object& o) {
    return {status, protocol::to_json(o)};
}

api_response fail(unsigned status, std::string_view message) {
    return reply(status, json::object{{"success", false}, {"error", message}});
}

/** 405 naming the methods the resource answers (RFC 9110: Allow is required). */
api_response not_allowed(std::string allow) {
    auto r = fail(405, "Method not allowed");
    r.allow = std::move(allow);
    return r;
}

std::optional<int> positive_int(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<double> number(std::string_view s) {
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string iso_time(double t) {
    auto secs = static_cast<std::time_t>(t);
    auto micros = static_cast<long>(std::llround((t - static_cast<double>(secs)) * 1e6)) % 1000000;
    std::tm tm{};
    localtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
    return buf;
}

double mb(std::uint64_t b) {
    return round_to(static_cast<double>(b) / (1024.0 * 1024.0), 2);
}
double gb(std::uint64_t b) {
    return round_to(static_cast<double>(b) / (1024.0 * 1024.0 * 1024.0), 2);
}

/** The seed's per-process metrics: the process record plus its convenience fields. */
json::object seed_metrics(const core::process_sample& p, double timestamp) {
    json::object o = protocol::process_record(p);
    o["rss_mb"] = mb(p.rss);
    o["vms_mb"] = mb(p.vms);
    o["shared_mb"] = p.shared ? json::value(mb(*p.shared)) : json::value(nullptr);
    o["timestamp"] = iso_time(timestamp);
    o["page_faults_total"] = p.minor_faults + p.major_faults;
    if (p.minor_faults_per_sec || p.major_faults_per_sec)
        o["page_faults_delta"] =
            round_to(p.minor_faults_per_sec.value_or(0) + p.major_faults_per_sec.value_or(0), 1);
    else
        o["page_faults_delta"] = nullptr;
    return o;
}

/** {"open":…,"budget":…,"kept_processes":…}: the /proc files the collector keeps open. */
json::object proc_files_json(const core::proc_file_usage& u) {
    return json::object{
        {"open", u.open}, {"budget", u.budget}, {"kept_processes", u.kept_processes}};
}

/** The seed's get_system_memory() shape, plus buffers/cached/shared. */
json::object seed_memory(const core::system_sample& s) {
    return json::object{{"total", s.mem_total},
                        {"available", s.mem_available},
                        {"used", s.mem_used},
                        {"free", s.mem_free},
                        {"percent", round_to(s.mem_percent, 1)},
                        {"buffers", s.mem_buffers},
                        {"cached", s.mem_cached},
                        {"shared", s.mem_shared},
                        {"total_gb", gb(s.mem_total)},
                        {"available_gb", gb(s.mem_available)},
                        {"used_gb", gb(s.mem_used)},
                        {"swap_total", s.swap_total},
                        {"swap_used", s.swap_used},
                        {"swap_free", s.swap_free},
                        {"swap_percent", round_to(s.swap_percent, 1)},
                        {"swap_total_gb", gb(s.swap_total)},
                        {"swap_used_gb", gb(s.swap_used)}};
}

/** {"pid": N} from a POST body: the pid, or the error response. */
std::variant<int, api_response> body_pid(std::string_view body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) return fail(400, "Body must be a JSON object");
    const json::value* pid = v.get_object().if_contains("pid");
    // Seed: `if not pid` -> "PID required" (missing, null, 0, "", false).
    if (!pid || pid->is_null() || (pid->is_int64() && pid->get_int64() == 0) ||
        (pid->is_uint64() && pid->get_uint64() == 0) ||
        (pid->is_string() && pid->get_string().empty()) || (pid->is_bool() && !pid->get_bool()))
        return fail(400, "PID required");
    std::optional<int> p;
    if (pid->is_int64() && pid->get_int64() > 0 && pid->get_int64() <= INT32_MAX)
        p = static_cast<int>(pid->get_int64());
    else if (pid->is_string())
        p = positive_int(std::string_view(pid->get_string()));
    if (!p) return fail(400, "PID must be a positive integer");
    return *p;
}

json::value series_or_error(const std::optional<core::series>& s, const char* const* names,
                            std::size_t n, const std::vector<std::string>& metrics,
                            std::string& error) {
    if (!s) return nullptr;
    json::object all = protocol::series_json(*s, names, n);
    if (metrics.empty()) return all;
    json::object picked{{"t", all["t"]}};
    for (const auto& m : metrics) {
        if (!all.contains(m)) {
            error = "unknown metric \"" + m + "\"";
            return nullptr;
        }
        picked[m] = all[m];
    }
    return picked;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

/** Downsamples a series to one point per `step` seconds (the last point of each bucket). */
void downsample(core::series& s, double step) {
    if (step <= 0 || s.t.empty()) return;
    core::series out;
    out.values.resize(s.values.size());
    out.per_core.resize(s.per_core.size());
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        bool last_in_bucket =
            i + 1 == s.t.size() || std::floor(s.t[i + 1] / step) != std::floor(s.t[i] / step);
        if (!last_in_bucket) continue;
        out.t.push_back(s.t[i]);
        for (std::size_t c = 0; c < s.values.size(); ++c)
            out.values[c].push_back(s.values[c][i]);
        for (std::size_t c = 0; c < s.per_core.size(); ++c)
            out.per_core[c].push_back(s.per_core[c][i]);
    }
    s = std::move(out);
}

/** A process from the snapshot, else read now (started since the sweep); nullopt: no such pid. */
std::optional<core::process_sample> live_process(const core::snapshot& snap, int pid,
                                                 api_context& ctx) {
    if (const auto* p = snap.find(pid)) return *p;
    if (ctx.read_now) return ctx.read_now(pid);
    return std::nullopt;
}

api_response history_response(const target_parts& tp, std::optional<int> pid, api_context& ctx) {
    double to = ctx.now, from = ctx.now - 3600;
    if (auto v = tp.param("from")) {
        auto d = number(*v);
        if (!d) return fail(400, "from must be a number (seconds since the epoch)");
        from = *d;
    }
    if (auto v = tp.param("to")) {
        auto d = number(*v);
        if (!d) return fail(400, "to must be a number (seconds since the epoch)");
        to = *d;
    }
    if (from > to) return fail(400, "from is after to");
    double step = 0;
    if (auto v = tp.param("step")) {
        auto d = number(*v);
        if (!d || *d <= 0) return fail(400, "step must be a positive number of seconds");
        step = *d;
    }
    std::optional<std::uint64_t> start;
    if (auto v = tp.param("start")) {
        std::uint64_t s = 0;
        auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), s);
        if (ec != std::errc{} || p != v->data() + v->size())
            return fail(400, "start must be an integer");
        start = s;
    }
    std::vector<std::string> metrics;
    if (auto v = tp.param("metrics")) metrics = split_list(*v);
    std::optional<core::series> s;
    if (pid) {
        if (!ctx.history) return fail(503, "History is not available");
        s = ctx.history(*pid, start, from, to);
        if (!s && !start && ctx.read_now && ctx.read_now(*pid)) // started since the last sweep
            s = core::series{
                {}, std::vector<std::vector<std::optional<double>>>(core::process_column_count)};
        if (!s) return fail(404, "Process not found or inaccessible");
    } else {
        if (!ctx.system_history) return fail(503, "History is not available");
        s = ctx.system_history(from, to);
    }
    downsample(*s, step);
    std::string error;
    json::value cols =
        pid ? series_or_error(s, core::process_columns, core::process_column_count, metrics, error)
            : series_or_error(s, core::system_columns, core::system_column_count, metrics, error);
    if (!error.empty()) return fail(400, error);
    json::object o{{"success", true}, {"from", from}, {"to", to}, {"series", std::move(cols)}};
    if (pid) {
        o["pid"] = *pid;
        if (ctx.describe)
            if (auto d = ctx.describe(*pid, start)) {
                o["start"] = d->start;
                o["name"] = d->name;
                o["cmdline"] = d->cmdline;
                if (d->about) {
                    o["process"] = protocol::process_facts({*pid, d->start}, *d->about);
                    o["exit_time"] = o["process"].as_object()["exit_time"];
                }
            }
    }
    return reply(200, o);
}

/** A read of /proc/<pid>/task or fd that failed: "no such process", "permission denied". */
api_response proc_read_failure(procfs::read_status st, int pid, const char* what) {
    if (st == procfs::read_status::gone) return fail(404, "no such process");
    if (st == procfs::read_status::forbidden) return fail(403, "permission denied");
    return fail(500, "could not read /proc/" + std::to_string(pid) + "/" + what + " (" +
                         procfs::to_string(st) + ")");
}

api_response threads_response(int pid, api_context& ctx) {
    if (!ctx.threads) return fail(503, "Threads are not available");
    thread_view v = ctx.threads(pid);
    if (v.status != procfs::read_status::ok) return proc_read_failure(v.status, pid, "task");
    json::array threads;
    for (const auto& t : v.report.threads)
        threads.push_back(json::object{
            {"tid", t.tid},
            {"name", t.name},
            {"status", t.status},
            {"cpu_percent",
             t.cpu_percent ? json::value(protocol::round_to(*t.cpu_percent, 1)) : nullptr},
            {"cpu_user", protocol::round_to(t.cpu_user, 2)},
            {"cpu_system", protocol::round_to(t.cpu_system, 2)}});
    json::object o{{"success", true},
                   {"pid", pid},
                   {"start", v.report.key.start_ticks},
                   {"count", v.report.count},
                   {"threads", std::move(threads)},
                   {"interval", v.report.gap_seconds
                                    ? json::value(protocol::round_to(*v.report.gap_seconds, 3))
                                    : nullptr}};
    if (v.fd_status == procfs::read_status::ok) {
        o["fd_count"] = v.fd_count;
    } else {
        o["fd_count"] = nullptr;
        o["fd_error"] =
            v.fd_status == procfs::read_status::forbidden ? "permission denied" : "unavailable";
    }
    return reply(200, o);
}

api_response fds_response(int pid, const target_parts& tp, api_context& ctx) {
    if (!ctx.fds) return fail(503, "Open files are not available");
    std::size_t limit = 1000;
    if (auto v = tp.param("limit")) {
        auto n = positive_int(*v);
        if (!n || *n > 10000) return fail(400, "limit must be an integer from 1 to 10000");
        limit = static_cast<std::size_t>(*n);
    }
    procfs::fd_list l = ctx.fds(pid, limit);
    if (l.status != procfs::read_status::ok) return proc_read_failure(l.status, pid, "fd");
    json::array files;
    for (const auto& f : l.files)
        files.push_back(json::object{{"fd", f.fd}, {"target", f.target}});
    return reply(200, json::object{{"success", true},
                                   {"pid", pid},
                                   {"total", l.total},
                                   {"truncated", l.files.size() < l.total},
                                   {"fds", std::move(files)}});
}

} // namespace

std::optional<std::string> target_parts::param(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

target_parts split_target(std::string_view target) {
    target_parts tp;
    auto q = target.find('?');
    tp.path = url_decode(target.substr(0, q));
    if (q == std::string_view::npos) return tp;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view kv = rest.substr(0, amp);
        auto eq = kv.find('=');
        if (!kv.empty())
            tp.query.emplace_back(url_decode(kv.substr(0, eq)),
                                  eq == std::string_view::npos ? ""
                                                               : url_decode(kv.substr(eq + 1)));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return tp;
}

std::optional<api_response> handle_api(std::string_view method, std::string_view target,
                                       std::string_view body, api_context& ctx) {
    target_parts tp = split_target(target);
    const std::string& path = tp.path;
    if (path == "/healthz") {
        if (method != "GET" && method != "HEAD") return not_allowed("GET, HEAD");
        if (!ctx.latest) return reply(503, json::object{{"status", "starting"}});
        double age = ctx.now - ctx.latest->at.wall;
        bool fresh = age < 5 * ctx.interval_seconds + 1;
        return reply(fresh ? 200 : 503, json::object{{"status", fresh ? "ok" : "stale"},
                                                     {"seq", ctx.latest->seq},
                                                     {"sample_age_ms", std::llround(age * 1000)}});
    }
    if (path.rfind("/api/", 0) != 0) return std::nullopt;
    const bool get = method == "GET" || method == "HEAD";
    const bool post = method == "POST";
    auto need = [&](bool ok, const char* allow = "GET, HEAD") -> std::optional<api_response> {
        if (!ok) return not_allowed(allow);
        return std::nullopt;
    };
    const core::snapshot_ptr& snap = ctx.latest;
    auto no_sample = [] { return fail(503, "No sample yet, try again in a second"); };

    if (path == "/api/processes/list") {
        if (auto r = need(get)) return r;
        if (!snap) return no_sample();
        protocol::table_params params;
        params.sort = "memory_percent";
        params.limit = 50;
        params.kernel_threads = true;
        if (auto v = tp.param("limit")) {
            auto l = positive_int(*v);
            if (!l || *l > 100000) return fail(400, "limit must be a positive integer");
            params.limit = static_cast<std::size_t>(*l);
        }
        if (auto v = tp.param("sort")) {
            if (!protocol::valid_sort_key(*v)) return fail(400, "unknown sort key " + *v);
            params.sort = *v;
        }
        if (auto v = tp.param("order")) params.descending = *v != "asc";
        if (auto v = tp.param("filter")) {
            if (auto f = core::parse_filter(*v); auto* e = std::get_if<core::filter_error>(&f))
                return fail(400, "bad filter: " + e->message);
            params.filter = *v;
        }
        auto sel = protocol::select_table(*snap, params);
        json::array list;
        for (const auto* p : sel.rows) {
            json::object o = protocol::table_row(*p);
            o["memory_percent"] = round_to(p->memory_percent, 2);
            list.push_back(std::move(o));
        }
        return reply(200, json::object{{"success", true}, {"processes", std::move(list)}});
    }
    if (path == "/api/processes/search") {
        if (auto r = need(get)) return r;
        auto name = tp.param("name");
        if (!name || name->empty()) return fail(400, "Name parameter required");
        if (!snap) return no_sample();
        std::string needle = *name;
        std::transform(needle.begin(), needle.end(), needle.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::vector<std::pair<int, std::string>> found;
        auto consider = [&](const core::process_sample& p) {
            std::string n = p.name;
            std::transform(n.begin(), n.end(), n.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (n.find(needle) != std::string::npos) found.emplace_back(p.key.pid, p.name);
        };
        for (const auto& p : snap->processes)
            consider(p);
        // And those started since the sweep, as psutil's live iteration would find them.
        if (ctx.read_new) {
            std::size_t swept = found.size();
            for (const auto& p : ctx.read_new())
                consider(p);
            std::inplace_merge(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(swept),
                               found.end());
        }
        json::array list;
        for (const auto& [pid, name] : found)
            list.push_back(json::object{{"pid", pid}, {"name", name}});
        return reply(200, json::object{{"success", true}, {"processes", std::move(list)}});
    }
    if (path == "/api/processes/monitor/add" || path == "/api/processes/monitor/remove") {
        if (auto r = need(post, "POST")) return r;
        auto pid = body_pid(body);
        if (auto* r = std::get_if<api_response>(&pid)) return *r;
        int p = std::get<int>(pid);
        if (path.ends_with("/add")) {
            bool exists = snap && (snap->find(p) || (ctx.read_now && ctx.read_now(p)));
            auto done = exists ? ctx.watched.add(p) : watch_list::outcome{};
            if (!done.ok()) // the change was undone: say so, never success
                return reply(500, json::object{{"success", false},
                                               {"message", "Failed to add process: " +
                                                               done.save_error}});
            return reply(200,
                         json::object{{"success", exists},
                                      {"message", exists ? "Process " + std::to_string(p) + " added"
                                                         : std::string("Failed to add process")}});
        }
        auto done = ctx.watched.remove(p);
        if (!done.ok())
            return reply(500, json::object{{"success", false},
                                           {"message", "Failed to remove process: " +
                                                           done.save_error}});
        return reply(200, json::object{{"success", done.changed},
                                       {"message", done.changed
                                                       ? "Process " + std::to_string(p) + " removed"
                                                       : std::string("Process not found")}});
    }
    if (path == "/api/processes/metrics") {
        if (auto r = need(get)) return r;
        if (!snap) return no_sample();
        json::object procs;
        for (int pid : ctx.watched.pids()) {
            auto p = live_process(*snap, pid, ctx);
            if (!p) { // the seed drops processes that ended
                ctx.watched.remove(pid);
                continue;
            }
            procs[std::to_string(pid)] = seed_metrics(*p, snap->at.wall);
        }
        std::size_t n = procs.size();
        return reply(200, json::object{{"success", true},
                                       {"system_memory", seed_memory(snap->system)},
                                       {"processes", std::move(procs)},
                                       {"count", n}});
    }
    const std::string metrics_prefix = "/api/processes/metrics/";
    if (path.rfind(metrics_prefix, 0) == 0) {
        if (auto r = need(get)) return r;
        auto pid = positive_int(std::string_view(path).substr(metrics_prefix.size()));
        if (!pid) return fail(400, "PID must be a positive integer");
        if (!snap) return no_sample();
        auto p = live_process(*snap, *pid, ctx);
        if (!p) return fail(404, "Process not found or inaccessible");
        return reply(200,
                     json::object{{"success", true}, {"process", seed_metrics(*p, snap->at.wall)}});
    }
    if (path == "/api/system/memory") {
        if (auto r = need(get)) return r;
        if (!snap) return no_sample();
        return reply(200, json::object{{"success", true}, {"memory", seed_memory(snap->system)}});
    }
    if (path == "/api/system") {
        if (auto r = need(get)) return r;
        if (!snap) return no_sample();
        json::value store_error = nullptr;
        if (ctx.store_error)
            if (auto e = ctx.store_error()) store_error = json::string(*e);
        return reply(200,
                     json::object{{"success", true},
                                  {"system", protocol::system_record(snap->system, snap->at.wall)},
                                  {"history_persisted", ctx.history_persisted},
                                  {"store_error", std::move(store_error)},
                                  {"proc_files", proc_files_json(snap->proc_files)},
                                  {"actions_allowed", static_cast<bool>(ctx.act)}});
    }
    if (path == "/api/system/history") {
        if (auto r = need(get)) return r;
        return history_response(tp, std::nullopt, ctx);
    }
    const std::string proc_prefix = "/api/processes/";
    if (path == "/api/actions") {
        if (auto r = need(get)) return r;
        return reply(200, json::object{{"success", true},
                                       {"allowed", static_cast<bool>(ctx.act)},
                                       {"actions", ctx.recent_actions ? ctx.recent_actions()
                                                                      : json::array()}});
    }
    if (path.rfind(proc_prefix, 0) == 0 && (path.ends_with("/signal") || path.ends_with("/nice"))) {
        if (auto r = need(post, "POST")) return r;
        const bool signal = path.ends_with("/signal");
        std::string_view mid(path);
        mid = mid.substr(proc_prefix.size(), mid.size() - proc_prefix.size() - (signal ? 7 : 5));
        auto pid = positive_int(mid);
        if (!pid) return fail(400, "PID must be a positive integer");
        if (!ctx.act)
            return fail(403, "Process actions are off: start procpulse with --allow-actions");
        if (auto why = action_csrf_problem(ctx.content_type, ctx.action_header_value); !why.empty())
            return fail(403, "Refused: " + why);
        auto req = parse_action(signal ? "signal" : "nice", *pid, body);
        if (auto* why = std::get_if<std::string>(&req)) return fail(400, *why);
        auto done = ctx.act(std::get<action_request>(req));
        if (done.status != 200) return fail(done.status, done.message);
        return reply(200, json::object{{"success", true}, {"message", done.message}});
    }
    if (path.rfind(proc_prefix, 0) == 0 && path.ends_with("/history")) {
        if (auto r = need(get)) return r;
        std::string_view mid(path);
        mid = mid.substr(proc_prefix.size(), mid.size() - proc_prefix.size() - 8);
        auto pid = positive_int(mid);
        if (!pid) return fail(400, "PID must be a positive integer");
        return history_response(tp, pid, ctx);
    }
    for (const char* tail : {"/threads", "/fds"}) {
        if (path.rfind(proc_prefix, 0) != 0 || !path.ends_with(tail)) continue;
        if (auto r = need(get)) return r;
        std::string_view mid(path);
        mid = mid.substr(proc_prefix.size(),
                         mid.size() - proc_prefix.size() - std::char_traits<char>::length(tail));
        auto pid = positive_int(mid);
        if (!pid) return fail(400, "PID must be a positive integer");
        return tail[1] == 't' ? threads_response(*pid, ctx) : fds_response(*pid, tp, ctx);
    }
    if (path == "/api/alerts" || path.rfind("/api/alerts/", 0) == 0) {
        if (!ctx.alerts) return fail(503, "Alerts are not available");
        if (path == "/api/alerts") {
            if (auto r = need(get)) return r;
            return reply(200, ctx.alerts->overview(100));
        }
        if (path == "/api/alerts/rules") {
            if (get)
                return reply(200, json::object{{"success", true}, {"rules", ctx.alerts->rules()}});
            if (!post) return not_allowed("GET, HEAD, POST");
            boost::system::error_code ec;
            json::value v = json::parse(body, ec);
            if (ec) return fail(400, "Body must be a JSON object");
            auto r = ctx.alerts->add_rule(v, ctx.now);
            if (auto* why = std::get_if<std::string>(&r)) return fail(400, *why);
            return reply(201, json::object{{"success", true}, {"rule", std::get<json::object>(r)}});
        }
        const std::string rule_prefix = "/api/alerts/rules/";
        if (path.rfind(rule_prefix, 0) == 0) {
            if (method != "DELETE") return not_allowed("DELETE");
            auto id = positive_int(std::string_view(path).substr(rule_prefix.size()));
            if (!id) return fail(400, "Rule id must be a positive integer");
            if (!ctx.alerts->delete_rule(*id, ctx.now)) return fail(404, "Rule not found");
            return reply(200, json::object{{"success", true}});
        }
    }
    return fail(404, "Not found");
}

} // namespace procpulse::http
