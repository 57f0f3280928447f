#include "store/store.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace procpulse::store {

namespace {

/** A prepared statement, finalized on scope exit. */
class stmt {
public:
    stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db) + " in " +
                                     sql);
    }
    ~stmt() { sqlite3_finalize(s_); }
    stmt(const stmt&) = delete;
    stmt& operator=(const stmt&) = delete;
    stmt& bind(int i, double v) { return check(sqlite3_bind_double(s_, i, v)); }
    stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
    stmt& bind(int i, const std::string& v) {
        return check(
            sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    stmt& bind(int i, const std::optional<double>& v) {
        return check(v ? sqlite3_bind_double(s_, i, *v) : sqlite3_bind_null(s_, i));
    }
    bool step() {
        int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    void reset() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    double col_double(int i) { return sqlite3_column_double(s_, i); }
    std::int64_t col_int(int i) { return sqlite3_column_int64(s_, i); }
    bool col_null(int i) { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
    std::string col_text(int i) {
        auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i)))
                 : std::string();
    }

private:
    stmt& check(int rc) {
        if (rc != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
        return *this;
    }
    sqlite3* db_;
    sqlite3_stmt* s_ = nullptr;
};

std::string proc_cols() {
    std::string s;
    for (const char* c : core::process_columns)
        s += std::string(", ") + c + " REAL";
    return s;
}
std::string sys_cols() {
    std::string s;
    for (const char* c : core::system_columns)
        s += std::string(", ") + c + " REAL";
    return s;
}

} // namespace

bool writable_location(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(path, ec)) return ::access(path.c_str(), W_OK) == 0;
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    fs::create_directories(dir, ec);
    return ::access(dir.c_str(), W_OK | X_OK) == 0;
}

std::string default_path() {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    std::string base;
    if (xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::string(home) + "/.local/state";
    else
        base = "/tmp";
    return base + "/procpulse/procpulse.db";
}

void store::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err ? err : "?";
        sqlite3_free(err);
        throw std::runtime_error("sqlite: " + m + " in " + sql);
    }
}

namespace {

/** `file:` URI of a path for a read-only check that creates no side files (`immutable=1`). */
std::string immutable_uri(const std::string& path) {
    std::string out = "file:";
    for (char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "?immutable=1";
}

} // namespace

store::store(const std::string& path) : path_(path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (!exists) {
        fs::path dir = fs::path(path).parent_path();
        if (!dir.empty()) fs::create_directories(dir, ec);
    }
    auto open = [&](const std::string& name, int flags) {
        if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
            std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw store_error("cannot open database " + path + ": " + m +
                              " (check the path and its permissions, or pass --db :memory:)");
        }
    };
    auto refuse = [&](const std::string& why) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw store_error(
            "database " + path + " " + why +
            "; it was left untouched. Move it away or pass another --db (or --db :memory:).");
    };
    // An existing file is checked first through a read-only, immutable connection, which creates
    // nothing beside it (no -wal, no -shm): a file that is not procpulse's stays exactly as it was.
    if (exists) {
        open(immutable_uri(path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
        try {
            int app = 0, tables = 0;
            {
                stmt s(db_, "PRAGMA application_id");
                if (s.step()) app = static_cast<int>(s.col_int(0));
            }
            {
                stmt s(db_, "SELECT count(*) FROM sqlite_master");
                if (s.step()) tables = static_cast<int>(s.col_int(0));
            }
            if (app != application_id && !(app == 0 && tables == 0))
                refuse("is not a procpulse database (application_id " + std::to_string(app) + ", " +
                       std::to_string(tables) + " objects)");
            if (tables > 0) {
                stmt s(db_, "PRAGMA quick_check");
                std::string r = s.step() ? s.col_text(0) : "no answer";
                if (r != "ok") refuse("is corrupt (quick_check: " + r + ")");
                stmt v(db_, "PRAGMA user_version");
                int ver = v.step() ? static_cast<int>(v.col_int(0)) : 0;
                if (ver > schema_version)
                    refuse("has schema version " + std::to_string(ver) +
                           ", newer than this procpulse (" + std::to_string(schema_version) + ")");
            }
        } catch (const store_error&) {
            throw;
        } catch (const std::exception& e) {
            refuse(std::string("cannot be read as SQLite (") + e.what() + ")");
        }
        sqlite3_close(db_);
        db_ = nullptr;
    }
    // Accepted (or new): the connection that writes. An existing file without the create flag.
    open_writable(!exists);
}

void store::open_writable(bool create) {
    // Opened beside the current connection, which is closed only once the new one is open.
    sqlite3* fresh = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &fresh,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
                            (create ? SQLITE_OPEN_CREATE : 0),
                        nullptr) != SQLITE_OK) {
        std::string m = fresh ? sqlite3_errmsg(fresh) : "out of memory";
        sqlite3_close(fresh);
        throw store_error("cannot open database " + path_ + ": " + m +
                          " (check the path and its permissions, or pass --db :memory:)");
    }
    if (db_) sqlite3_close(db_);
    db_ = fresh;
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec(("PRAGMA application_id=" + std::to_string(application_id)).c_str());
    exec(("PRAGMA user_version=" + std::to_string(schema_version)).c_str());
    exec("CREATE TABLE IF NOT EXISTS watch(pid INTEGER PRIMARY KEY, added REAL NOT NULL)");
    exec(("CREATE TABLE IF NOT EXISTS proc_history(step INTEGER NOT NULL, pid INTEGER NOT NULL, "
          "start INTEGER NOT NULL, t REAL NOT NULL" +
          proc_cols() + ", PRIMARY KEY(step, pid, start, t)) WITHOUT ROWID")
             .c_str());
    exec(("CREATE TABLE IF NOT EXISTS sys_history(step INTEGER NOT NULL, t REAL NOT NULL" +
          sys_cols() + ", PRIMARY KEY(step, t)) WITHOUT ROWID")
             .c_str());
    // A database made before a system column existed (disk and network totals) gets it, null
    // for the points stored before.
    std::set<std::string> have;
    {
        stmt info(db_, "PRAGMA table_info(sys_history)");
        while (info.step())
            have.insert(info.col_text(1));
    }
    for (const char* c : core::system_columns)
        if (!have.count(c))
            exec(("ALTER TABLE sys_history ADD COLUMN " + std::string(c) + " REAL").c_str());
    exec("CREATE TABLE IF NOT EXISTS alert_rules(id INTEGER PRIMARY KEY, rule TEXT NOT NULL)");
    exec("CREATE TABLE IF NOT EXISTS alert_events(id INTEGER PRIMARY KEY AUTOINCREMENT, t REAL NOT "
         "NULL, "
         "rule_id INTEGER, state TEXT NOT NULL, event TEXT NOT NULL)");
    exec("CREATE INDEX IF NOT EXISTS alert_events_t ON alert_events(t)");
    struct stat st {};
    file_ = ::stat(path_.c_str(), &st) == 0 ? file_id{st.st_dev, st.st_ino} : file_id{};
}

std::optional<std::string> store::replace_if_gone() {
    std::lock_guard lock(mutex_);
    struct stat st {};
    const bool there = ::stat(path_.c_str(), &st) == 0;
    if (there && file_id{st.st_dev, st.st_ino} == file_) return std::nullopt;
    // Someone else's file now: never write into it (the writes fail until it is moved away).
    if (there)
        throw store_error("database " + path_ +
                          " was replaced by another file while procpulse ran; not writing into "
                          "it (move it away and a new database is started there)");
    // Writing on would go to a file nobody can open again: start a new database at the path.
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
    try {
        open_writable(true);
    } catch (const store_error& e) {
        // The old connection stays (writes into it are lost, but nothing crashes): retried at
        // each flush until the directory lets us create the file again.
        throw store_error("database " + path_ +
                          " was deleted while procpulse ran and cannot be created again (" +
                          e.what() + ")");
    }
    return std::string("was deleted");
}

store::~store() {
    if (db_) sqlite3_close(db_);
}

std::vector<int> store::load_watch() {
    std::lock_guard lock(mutex_);
    stmt s(db_, "SELECT pid FROM watch ORDER BY pid");
    std::vector<int> out;
    while (s.step())
        out.push_back(static_cast<int>(s.col_int(0)));
    return out;
}

void store::save_watch(const std::vector<int>& pids, double now) {
    std::lock_guard lock(mutex_);
    exec("BEGIN");
    try {
        exec("DELETE FROM watch");
        stmt s(db_, "INSERT INTO watch(pid, added) VALUES(?, ?)");
        for (int p : pids) {
            s.bind(1, static_cast<std::int64_t>(p)).bind(2, now);
            s.step();
            s.reset();
        }
        exec("COMMIT");
    } catch (...) {
        rollback(); // the first error is the one to report (SQLITE_FULL, say), not ROLLBACK's
        throw;
    }
}

void store::write(const std::vector<core::history_row>& rows, const std::vector<core::tier>& tiers,
                  double now) {
    std::lock_guard lock(mutex_);
    exec("BEGIN");
    try {
        std::string pq = "INSERT OR REPLACE INTO proc_history(step, pid, start, t";
        for (const char* c : core::process_columns)
            pq += std::string(", ") + c;
        pq += ") VALUES(?, ?, ?, ?";
        for (std::size_t i = 0; i < core::process_column_count; ++i)
            pq += ", ?";
        pq += ")";
        std::string sq = "INSERT OR REPLACE INTO sys_history(step, t";
        for (const char* c : core::system_columns)
            sq += std::string(", ") + c;
        sq += ") VALUES(?, ?";
        for (std::size_t i = 0; i < core::system_column_count; ++i)
            sq += ", ?";
        sq += ")";
        stmt ps(db_, pq.c_str()), ss(db_, sq.c_str());
        for (const auto& r : rows) {
            if (r.key.pid == 0) {
                ss.bind(1, r.step_ms).bind(2, r.t);
                for (std::size_t i = 0; i < r.values.size(); ++i)
                    ss.bind(static_cast<int>(3 + i), r.values[i]);
                ss.step();
                ss.reset();
            } else {
                ps.bind(1, r.step_ms)
                    .bind(2, static_cast<std::int64_t>(r.key.pid))
                    .bind(3, static_cast<std::int64_t>(r.key.start_ticks))
                    .bind(4, r.t);
                for (std::size_t i = 0; i < r.values.size(); ++i)
                    ps.bind(static_cast<int>(5 + i), r.values[i]);
                ps.step();
                ps.reset();
            }
        }
        stmt dp(db_, "DELETE FROM proc_history WHERE step = ? AND t < ?");
        stmt ds(db_, "DELETE FROM sys_history WHERE step = ? AND t < ?");
        for (const auto& tr : tiers) {
            double cutoff = now - static_cast<double>(tr.keep_ms) / 1000.0;
            dp.bind(1, tr.step_ms).bind(2, cutoff);
            dp.step();
            dp.reset();
            ds.bind(1, tr.step_ms).bind(2, cutoff);
            ds.step();
            ds.reset();
        }
        exec("COMMIT");
    } catch (...) {
        rollback(); // the first error is the one to report (SQLITE_FULL, say), not ROLLBACK's
        throw;
    }
}

std::optional<core::series> store::process_history(const core::process_key& key, double from,
                                                   double to, std::int64_t step_ms) {
    std::lock_guard lock(mutex_);
    std::string q = "SELECT t";
    for (const char* c : core::process_columns)
        q += std::string(", ") + c;
    q += " FROM proc_history WHERE step = ? AND pid = ? AND start = ? AND t >= ? AND t <= ? ORDER "
         "BY t";
    stmt s(db_, q.c_str());
    s.bind(1, step_ms)
        .bind(2, static_cast<std::int64_t>(key.pid))
        .bind(3, static_cast<std::int64_t>(key.start_ticks));
    s.bind(4, from).bind(5, to);
    core::series out;
    out.values.resize(core::process_column_count);
    bool any = false;
    while (s.step()) {
        any = true;
        out.t.push_back(s.col_double(0));
        for (std::size_t c = 0; c < core::process_column_count; ++c)
            out.values[c].push_back(
                s.col_null(static_cast<int>(c + 1))
                    ? std::nullopt
                    : std::optional<double>(s.col_double(static_cast<int>(c + 1))));
    }
    if (!any) return std::nullopt;
    return out;
}

core::series store::system_history(double from, double to, std::int64_t step_ms) {
    std::lock_guard lock(mutex_);
    std::string q = "SELECT t";
    for (const char* c : core::system_columns)
        q += std::string(", ") + c;
    q += " FROM sys_history WHERE step = ? AND t >= ? AND t <= ? ORDER BY t";
    stmt s(db_, q.c_str());
    s.bind(1, step_ms).bind(2, from).bind(3, to);
    core::series out;
    out.values.resize(core::system_column_count);
    while (s.step()) {
        out.t.push_back(s.col_double(0));
        for (std::size_t c = 0; c < core::system_column_count; ++c)
            out.values[c].push_back(
                s.col_null(static_cast<int>(c + 1))
                    ? std::nullopt
                    : std::optional<double>(s.col_double(static_cast<int>(c + 1))));
    }
    return out;
}

std::optional<std::uint64_t> store::latest_start(int pid) {
    std::lock_guard lock(mutex_);
    stmt s(db_, "SELECT start FROM proc_history WHERE pid = ? ORDER BY t DESC LIMIT 1");
    s.bind(1, static_cast<std::int64_t>(pid));
    if (!s.step()) return std::nullopt;
    return static_cast<std::uint64_t>(s.col_int(0));
}

std::vector<std::pair<std::int64_t, std::string>> store::load_rules() {
    std::lock_guard lock(mutex_);
    stmt s(db_, "SELECT id, rule FROM alert_rules ORDER BY id");
    std::vector<std::pair<std::int64_t, std::string>> out;
    while (s.step())
        out.emplace_back(s.col_int(0), s.col_text(1));
    return out;
}

void store::save_rule(std::int64_t id, const std::string& json) {
    std::lock_guard lock(mutex_);
    stmt s(db_, "INSERT OR REPLACE INTO alert_rules(id, rule) VALUES(?, ?)");
    s.bind(1, id).bind(2, json);
    s.step();
}

void store::delete_rule(std::int64_t id) {
    std::lock_guard lock(mutex_);
    stmt s(db_, "DELETE FROM alert_rules WHERE id = ?");
    s.bind(1, id);
    s.step();
}

void store::add_event(double t, std::int64_t rule_id, const std::string& state,
                      const std::string& json) {
    add_events({event_row{t, rule_id, state, json}});
}

void store::add_events(const std::vector<event_row>& events) {
    if (events.empty()) return;
    std::lock_guard lock(mutex_);
    exec("BEGIN");
    try {
        stmt s(db_, "INSERT INTO alert_events(t, rule_id, state, event) VALUES(?, ?, ?, ?)");
        for (const auto& e : events) {
            s.bind(1, e.t).bind(2, e.rule_id).bind(3, e.state).bind(4, e.json);
            s.step();
            s.reset();
        }
        exec("COMMIT");
    } catch (...) {
        rollback();
        throw;
    }
}

void store::rollback() noexcept {
    // After SQLITE_FULL and similar errors SQLite may already have rolled back on its own: then
    // there is nothing to undo, and ROLLBACK's own error would hide the first one.
    if (db_ && !sqlite3_get_autocommit(db_))
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::vector<std::string> store::recent_events(std::size_t limit) {
    std::lock_guard lock(mutex_);
    stmt s(db_, "SELECT event FROM alert_events WHERE state != 'action' ORDER BY id DESC LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.col_text(0));
    return out;
}

std::vector<std::string> store::recent_actions(std::size_t limit) {
    std::lock_guard lock(mutex_);
    stmt s(db_, "SELECT event FROM alert_events WHERE state = 'action' ORDER BY id DESC LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.col_text(0));
    return out;
}

std::int64_t store::history_rows() {
    std::lock_guard lock(mutex_);
    stmt a(db_, "SELECT (SELECT count(*) FROM proc_history) + (SELECT count(*) FROM sys_history)");
    return a.step() ? a.col_int(0) : 0;
}

} // namespace procpulse::store
