#include "transport/http_session.hpp"
#include "protocol/json_text.hpp"

#include "http/origins.hpp"
#include "http/prometheus.hpp"
#include "transport/hub.hpp"
#include "transport/ws_session.hpp"
#include "util/log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>

namespace procpulse::transport {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

http_session::http_session(net::ip::tcp::socket&& socket, server_context& ctx,
                           std::unique_ptr<connection_limiter::slot> slot, std::string peer)
    : stream_(std::move(socket)), ctx_(ctx), slot_(std::move(slot)), peer_(std::move(peer)) {}

void http_session::run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

double monotonic_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void http_session::do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(ctx_.cfg.lim.max_header_bytes));
    parser_->body_limit(ctx_.cfg.lim.max_body_bytes);
    stream_.expires_after(ctx_.cfg.lim.handshake_timeout);
    // Waiting for a request holds one of the few places of this address; a newer connection
    // may evict this one (closed on its own executor).
    // Only a connection's first request counts: an idle keep-alive connection between requests
    // (a poller's, a scraper's) is a client that has already shown it sends whole requests.
    const std::string ip = peer_.substr(0, peer_.rfind(':'));
    if (!served_)
        waiting_ = ctx_.pending.admit(ip, monotonic_seconds(), [weak = weak_from_this()] {
            if (auto self = weak.lock())
                net::post(self->stream_.get_executor(), [self] {
                    if (!self->waiting_) return; // its request arrived meanwhile
                    log::debug(self->peer_ + ": evicted while sending its request");
                    beast::error_code ec;
                    self->stream_.socket().close(ec);
                });
        });
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

namespace {

std::shared_ptr<bhttp::response<bhttp::string_body>>
make(unsigned status, std::string body, std::string_view type, unsigned version, bool keep_alive) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(status), version);
    res->set(bhttp::field::server, "procpulse");
    res->set(bhttp::field::content_type, type);
    res->set("X-Content-Type-Options", "nosniff");
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    return res;
}

std::string json_error(std::string_view text) {
    return procpulse::protocol::to_json(boost::json::object{{"success", false}, {"error", text}});
}

template <class Field>
std::optional<std::string_view> header(const bhttp::request<bhttp::string_body>& req, Field f) {
    auto it = req.find(f);
    if (it == req.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
}

} // namespace

void http_session::on_read(beast::error_code ec, std::size_t) {
    waiting_.reset();
    if (!ec) served_ = true;
    if (ec == bhttp::error::end_of_stream) return do_close();
    if (ec == bhttp::error::body_limit) {
        return send(make(413, json_error("Request body too large"), "application/json", 11, false));
    }
    if (ec == bhttp::error::header_limit) {
        return send(
            make(431, json_error("Request headers too large"), "application/json", 11, false));
    }
    if (ec) {
        if (ec != net::error::operation_aborted && ec != beast::error::timeout)
            log::debug(peer_ + ": http read: " + ec.message());
        // Any malformed request (bad method, target, version, a header line without a colon, a
        // bad chunk...) and a request that did not arrive in time get a 400, then the close.
        if (ec == beast::error::timeout ||
            ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
            return send(make(400, json_error("Bad request"), "application/json", 11, false));
        return;
    }
    request req = parser_->release();
    // RFC 9112: a request with more than one Host is invalid; two Origins cannot be checked.
    if (req.count(bhttp::field::host) > 1)
        return send(make(400, json_error("Bad request: more than one Host header"),
                         "application/json", req.version(), false));
    const bool changes_state = websocket::is_upgrade(req) || (req.method() != bhttp::verb::get &&
                                                              req.method() != bhttp::verb::head);
    if (changes_state && req.count(bhttp::field::origin) > 1) {
        log::info(peer_ + ": refused a request with more than one Origin");
        return send(make(403, json_error("Origin not allowed: more than one Origin header"),
                         "application/json", req.version(), false));
    }
    const std::string_view host = header(req, bhttp::field::host).value_or("");
    if (!http::host_allowed(host, ctx_.addr)) {
        log::info(peer_ + ": refused Host '" + std::string(host) + "'");
        return send(
            make(403, json_error("Host not allowed"), "application/json", req.version(), false));
    }
    if (websocket::is_upgrade(req)) {
        std::string_view target(req.target().data(), req.target().size());
        if (target.substr(0, target.find('?')) != "/ws")
            return send(
                make(404, json_error("Not found"), "application/json", req.version(), false));
        if (!http::origin_allowed(header(req, bhttp::field::origin), host,
                                  ctx_.cfg.allow_origins)) {
            log::info(peer_ + ": refused WebSocket Origin '" +
                      std::string(header(req, bhttp::field::origin).value_or("")) + "'");
            return send(make(403, json_error("Origin not allowed"), "application/json",
                             req.version(), false));
        }
        http::credentials cred{header(req, bhttp::field::authorization),
                               header(req, bhttp::field::cookie),
                               header(req, bhttp::field::sec_websocket_protocol)};
        if (!http::authorized(cred, ctx_.cfg.token))
            return send(
                make(401, json_error("Unauthorized"), "application/json", req.version(), false));
        std::make_shared<ws_session>(std::move(stream_), ctx_.hub, ctx_.cfg, std::move(slot_),
                                     std::move(peer_))
            ->run(std::move(req));
        return;
    }
    send(with_cors(req, handle(req)));
}

http::cors_request http_session::cors_of(const request& req) {
    std::string_view target(req.target().data(), req.target().size());
    return {std::string_view(req.method_string().data(), req.method_string().size()),
            target.substr(0, target.find('?')), header(req, bhttp::field::origin),
            header(req, bhttp::field::host).value_or(""),
            header(req, bhttp::field::access_control_request_method)};
}

std::shared_ptr<http_session::response> http_session::with_cors(const request& req,
                                                                std::shared_ptr<response> res) {
    const http::cors_request cr = cors_of(req);
    if (http::is_preflight(cr)) return res; // answered whole by handle()
    for (auto& [name, value] : http::cors_headers(cr, ctx_.cfg.allow_origins)) {
        auto it = res->find(name);
        if (name == "Vary" && it != res->end())
            res->set(name, std::string(it->value()) + ", " + value);
        else
            res->set(name, value);
    }
    return res;
}

std::shared_ptr<http_session::response> http_session::handle(const request& req) {
    const unsigned v = req.version();
    const bool ka = req.keep_alive();
    std::string_view target(req.target().data(), req.target().size());
    std::string_view method(req.method_string().data(), req.method_string().size());
    http::target_parts tp = http::split_target(target);
    const auto& cfg = ctx_.cfg;

    // A CORS preflight carries no credentials: it is answered before the token check.
    if (const http::cors_request cr = cors_of(req); http::is_preflight(cr)) {
        auto a = http::preflight(cr, cfg.allow_origins);
        if (a.status != 204)
            log::info(peer_ + ": refused a CORS preflight from '" +
                      std::string(cr.origin.value_or("")) + "' for " + std::string(cr.path));
        auto res = a.status == 204 ? make(204, "", "text/plain", v, ka)
                                   : make(a.status, json_error(a.error), "application/json", v, ka);
        if (a.status == 204) res->erase(bhttp::field::content_type);
        for (auto& [name, value] : a.headers)
            res->set(name, value);
        return res;
    }

    if (tp.path == "/auth" && cfg.token) {
        auto given = tp.param("token");
        if (!given || !http::equal_constant_time(*given, *cfg.token))
            return make(401, json_error("Unauthorized"), "application/json", v, ka);
        auto res = make(302, "", "text/plain", v, ka);
        res->set(bhttp::field::location, "/");
        res->set(bhttp::field::set_cookie, std::string(http::token_cookie) + "=" + *cfg.token +
                                               "; HttpOnly; SameSite=Strict; Path=/");
        return res;
    }
    http::credentials cred{header(req, bhttp::field::authorization),
                           header(req, bhttp::field::cookie), std::nullopt};
    if (tp.path != "/healthz" && !http::authorized(cred, cfg.token))
        return make(
            401,
            json_error("Unauthorized: send Authorization: Bearer TOKEN or open /auth?token=TOKEN"),
            "application/json", v, ka);
    // Cross-site requests that change state (CSRF): a browser always sends Origin on POST.
    if (method != "GET" && method != "HEAD" &&
        !http::origin_allowed(header(req, bhttp::field::origin),
                              header(req, bhttp::field::host).value_or(""), cfg.allow_origins))
        return make(403, json_error("Origin not allowed"), "application/json", v, ka);

    if (tp.path == "/metrics") {
        if (method != "GET" && method != "HEAD") {
            auto res = make(405, json_error("Method not allowed"), "application/json", v, ka);
            res->set(bhttp::field::allow, "GET, HEAD");
            return res;
        }
        auto snap = ctx_.hub.latest_snapshot();
        if (!snap) return make(503, "# no sample yet\n", "text/plain; version=0.0.4", v, ka);
        http::server_stats st{ctx_.hub.session_count(),
                              ctx_.hub.history_processes(),
                              ctx_.hub.history_bytes(),
                              ctx_.last_sweep_seconds.load(),
                              {}};
        if (ctx_.store_health) st.store = ctx_.store_health();
        return make(200, http::prometheus_text(*snap, ctx_.watched.pids(), st),
                    "text/plain; version=0.0.4; charset=utf-8", v, ka);
    }

    using namespace std::chrono;
    http::api_context api{
        ctx_.hub.latest_snapshot(),
        ctx_.watched,
        duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6,
        static_cast<double>(cfg.interval.count()) / 1000.0,
        ctx_.process_history,
        ctx_.system_history,
        ctx_.alerts,
        ctx_.describe};
    api.read_now = ctx_.read_now;
    api.read_new = ctx_.read_new;
    api.threads = ctx_.threads;
    api.fds = ctx_.fds;
    api.history_persisted = ctx_.history_persisted;
    if (ctx_.store_health)
        api.store_error = [f = ctx_.store_health]() -> std::optional<std::string> {
            auto h = f();
            if (!h.failing) return std::nullopt;
            return h.error;
        };
    if (ctx_.act)
        api.act = [this](const http::action_request& r) {
            return ctx_.act(r, peer_, ctx_.cfg.token.has_value());
        };
    api.recent_actions = ctx_.recent_actions;
    api.content_type = header(req, bhttp::field::content_type);
    api.action_header_value = header(req, http::action_header);
    if (auto r = http::handle_api(method, target, req.body(), api)) {
        auto res = make(r->status, std::move(r->body), r->content_type, v, ka);
        res->set(bhttp::field::cache_control, "no-store");
        if (!r->allow.empty()) res->set(bhttp::field::allow, r->allow);
        if (method == "HEAD") res->body().clear();
        return res;
    }
    if (method != "GET" && method != "HEAD")
        return make(405, json_error("Method not allowed"), "application/json", v, ka);
    http::static_request sreq{method, tp.path,
                              header(req, bhttp::field::accept_encoding).value_or(""),
                              header(req, bhttp::field::if_none_match).value_or("")};
    if (auto note = http::embed_refusal(
            tp.path, header(req, "Sec-Fetch-Dest"), header(req, bhttp::field::referer),
            header(req, bhttp::field::host).value_or(""), cfg.allow_embed))
        log::info(peer_ + ": " + *note);
    auto f = ctx_.files.serve(sreq);
    if (!f) return make(404, json_error("Not found"), "application/json", v, ka);
    auto res = make(f->status, std::move(f->body), f->content_type, v, ka);
    for (auto& [name, value] : f->headers)
        res->set(name, std::move(value));
    if (f->status == 304)
        res->erase(bhttp::field::content_length); // no body and none described
    else if (method == "HEAD")
        res->content_length(f->content_length);
    return res;
}

void http_session::send(std::shared_ptr<response> res) {
    res_ = std::move(res);
    bool ka = res_->keep_alive();
    bhttp::async_write(stream_, *res_,
                       beast::bind_front_handler(&http_session::on_write, shared_from_this(), ka));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    if (ec) return log::debug(peer_ + ": http write: " + ec.message());
    res_.reset();
    if (!keep_alive) return do_close();
    do_read();
}

void http_session::do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

} // namespace procpulse::transport
