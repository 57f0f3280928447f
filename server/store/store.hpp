#pragma once
/**
 * SQLite persistence: the watch list, downsampled history of the system and of watched processes,
 * alert rules and alert events. One connection guarded by a mutex; writes come in batches from the
 * writer thread (one transaction each), reads from HTTP handlers. WAL journal: a crash loses at
 * most the last unflushed batch and never corrupts the file.
 */
#include "core/downsample.hpp"
#include "core/history.hpp"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

struct sqlite3;

namespace procpulse::store {

/** A database that cannot be used (start-up error): the message names the file and what to do. */
/**
 * Whether a database could be created or written at this path: an existing file writable by this
 * user, or a directory (made if missing) where it can create one.
 */
bool writable_location(const std::string& path);

class store_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** `PRAGMA application_id` of procpulse databases ("ppls"). */
inline constexpr int application_id = 0x70706c73;
inline constexpr int schema_version = 1;

/** An alert event to store. */
struct event_row {
    double t = 0;
    std::int64_t rule_id = 0;
    std::string state;
    std::string json;
};

class store {
public:
    /**
     * Opens or creates the database at `path`. A file that is not SQLite, is corrupt, or belongs
     * to another application is refused with store_error and left untouched.
     */
    explicit store(const std::string& path);
    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;

    const std::string& path() const { return path_; }

    std::vector<int> load_watch();
    void save_watch(const std::vector<int>& pids, double now);

    /** Writes rows and applies retention, in one transaction. */
    void write(const std::vector<core::history_row>& rows, const std::vector<core::tier>& tiers,
               double now);

    /** Stored points of a process at the given tier within [from, to]; nullopt when none. */
    std::optional<core::series> process_history(const core::process_key& key, double from,
                                                double to, std::int64_t step_ms);
    core::series system_history(double from, double to, std::int64_t step_ms);
    /** The newest start time stored for a pid. */
    std::optional<std::uint64_t> latest_start(int pid);

    /** Alert rules as JSON texts, by id. */
    std::vector<std::pair<std::int64_t, std::string>> load_rules();
    void save_rule(std::int64_t id, const std::string& json);
    void delete_rule(std::int64_t id);
    void add_event(double t, std::int64_t rule_id, const std::string& state,
                   const std::string& json);
    /** Several events in one transaction (the writer thread's batch). */
    void add_events(const std::vector<event_row>& events);
    /** The newest alert events, newest first. */
    std::vector<std::string> recent_events(std::size_t limit);
    /** The newest process actions (events of state "action", rule 0), newest first. */
    std::vector<std::string> recent_actions(std::size_t limit);

    /** Rows of history stored (for benchmarks). */
    std::int64_t history_rows();

    /**
     * Checks that the path still names the file this store writes (writer thread, each flush).
     * Deleted: a new database is created at the path and returned says so (the caller saves the
     * watch list and rules again). Replaced by another file: throws store_error (never written
     * into). Unchanged: nullopt.
     */
    std::optional<std::string> replace_if_gone();

private:
    /** The identity of the file opened for writing (0, 0 for :memory:). */
    struct file_id {
        dev_t dev = 0;
        ino_t ino = 0;
        friend bool operator==(const file_id&, const file_id&) = default;
    };
    /** Opens the connection that writes (creating the file if asked) and the schema. */
    void open_writable(bool create);
    void exec(const char* sql);
    /** Ends a failed transaction if one is still open; never throws. */
    void rollback() noexcept;
    std::string path_;
    sqlite3* db_ = nullptr;
    file_id file_;
    std::mutex mutex_;
};

/** The default database path: $XDG_STATE_HOME/procpulse/procpulse.db (~/.local/state/…). */
std::string default_path();

} // namespace procpulse::store
