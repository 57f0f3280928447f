#include "sampler/sampler.hpp"

#include "procfs/root.hpp"
#include "util/log.hpp"

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace procpulse::sampler {

namespace net = boost::asio;

struct sampler::impl {
    core::collector& coll;
    std::chrono::milliseconds interval;
    net::io_context ioc{1};
    net::steady_timer timer{ioc};
    std::thread thread;
    std::vector<observer> observers;
    std::function<void(double)> sweep_time;
    std::function<std::vector<int>()> focus;
    mutable std::mutex mutex;
    core::snapshot_ptr latest;
    bool skipping = false; // the last sweep was incomplete (logged)

    impl(core::collector& c, std::chrono::milliseconds i) : coll(c), interval(i) {}

    void sweep() {
        core::collector::result r;
        auto t0 = std::chrono::steady_clock::now();
        try {
            std::vector<int> f;
            if (focus) {
                f = focus();
                std::sort(f.begin(), f.end());
            }
            r = coll.sweep(now(), &f);
            if (sweep_time)
                sweep_time(
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        } catch (const std::exception& e) { // a bug, not an expected failure: log and go on
            log::error(std::string("sweep failed: ") + e.what());
            return;
        }
        log_problems(r);
        if (r.incomplete) {
            // Out of descriptors even for open/read/close: clients keep the last full sweep
            // rather than seeing the processes that could not be read as exited.
            if (!skipping)
                log::warn("sweep not published: out of file descriptors even without kept "
                          "/proc files (logged once until a sweep completes)");
            skipping = true;
            return;
        }
        skipping = false;
        {
            std::lock_guard lock(mutex);
            latest = r.snap;
        }
        for (auto& o : observers)
            o(r.snap);
    }

    void schedule() {
        // Drift-free: the next expiry is the previous expiry plus the interval. A sweep that ran
        // past one or more ticks skips them rather than bursting.
        auto next = timer.expiry() + interval;
        auto t = std::chrono::steady_clock::now();
        if (next < t) next = t + interval - (t - next) % interval;
        timer.expires_at(next);
        timer.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            sweep();
            schedule();
        });
    }
};

void log_problems(const core::collector::result& r) {
    if (r.exhausted)
        log::warn("out of file descriptors reading /proc (EMFILE/ENFILE): released the " +
                  std::to_string(r.exhausted->released) +
                  " kept /proc files, reading with open/read/close; budget now " +
                  std::to_string(r.exhausted->budget) + " (grows back while sweeps succeed)");
    for (const auto& p : r.problems)
        log::info("pid " + std::to_string(p.key.pid) + " (" + p.name +
                  "): " + procfs::file_name(p.file) + " " + procfs::to_string(p.status) +
                  "; its fields are reported unavailable");
}

sampler::sampler(core::collector& c, std::chrono::milliseconds interval,
                 std::chrono::milliseconds first_delay)
    : impl_(std::make_unique<impl>(c, interval)), interval_(interval), first_delay_(first_delay) {}

void sampler::focus_provider(std::function<std::vector<int>()> f) {
    impl_->focus = std::move(f);
}

void sampler::on_sweep_time(std::function<void(double)> f) {
    impl_->sweep_time = std::move(f);
}

sampler::~sampler() {
    stop();
}

void sampler::on_snapshot(observer o) {
    impl_->observers.push_back(std::move(o));
}

void sampler::start() {
    if (first_delay_.count() > 0) {
        // schedule() adds one interval to the expiry: start from one interval before the target.
        impl_->timer.expires_at(std::chrono::steady_clock::now() + first_delay_ - interval_);
        net::post(impl_->ioc, [this] { impl_->schedule(); });
    } else {
        impl_->timer.expires_at(std::chrono::steady_clock::now());
        net::post(impl_->ioc, [this] {
            impl_->sweep();
            impl_->schedule();
        });
    }
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

void sampler::stop() {
    if (!impl_->thread.joinable()) return;
    net::post(impl_->ioc, [this] { impl_->timer.cancel(); });
    impl_->ioc.stop();
    impl_->thread.join();
}

core::snapshot_ptr sampler::latest() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->latest;
}

core::sample_time sampler::now() {
    using namespace std::chrono;
    core::sample_time t;
    t.steady_ns = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
    t.wall = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
    return t;
}

} // namespace procpulse::sampler
