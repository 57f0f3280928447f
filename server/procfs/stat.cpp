#include "procfs/stat.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {
namespace {

bool parse_cpu_line(std::string_view rest, cpu_times& t) {
    field_cursor c(rest);
    if (!(c.next_number(t.user) && c.next_number(t.nice) && c.next_number(t.system) &&
          c.next_number(t.idle)))
        return false;
    // Later columns appeared over kernel versions; missing ones stay 0.
    c.next_number(t.iowait) && c.next_number(t.irq) && c.next_number(t.softirq) &&
        c.next_number(t.steal) && c.next_number(t.guest) && c.next_number(t.guest_nice);
    return true;
}

} // namespace

std::optional<kernel_stat> parse_stat(std::string_view text) {
    kernel_stat s;
    bool have_cpu = false, have_btime = false;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        field_cursor c(line);
        std::string_view key = c.next();
        if (key == "cpu") {
            have_cpu = parse_cpu_line(c.rest(), s.cpu);
        } else if (key.size() > 3 && key.substr(0, 3) == "cpu") {
            cpu_times t;
            if (parse_cpu_line(c.rest(), t)) s.cpus.push_back(t);
        } else if (key == "ctxt") {
            c.next_number(s.ctxt);
        } else if (key == "btime") {
            have_btime = c.next_number(s.btime);
        } else if (key == "processes") {
            c.next_number(s.processes);
        } else if (key == "procs_running") {
            c.next_number(s.procs_running);
        } else if (key == "procs_blocked") {
            c.next_number(s.procs_blocked);
        }
    }
    if (!have_cpu || !have_btime) return std::nullopt;
    return s;
}

} // namespace procpulse::procfs
