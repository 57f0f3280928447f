#include "core/process_filter.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace procpulse::core {

namespace {

using field = filter_term::field;
using op = filter_term::op;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool icontains(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == static_cast<unsigned char>(b);
    });
    return it != hay.end();
}

struct field_name {
    std::string_view name;
    field what;
    bool numeric;
};

constexpr field_name fields[] = {
    {"name", field::name, false},      {"cmd", field::cmd, false},
    {"user", field::user, false},      {"state", field::state, false},
    {"pid", field::pid, true},         {"cpu", field::cpu, true},
    {"rss", field::rss, true},         {"vms", field::vms, true},
    {"shared", field::shared, true},   {"mem", field::mem, true},
    {"threads", field::threads, true}, {"faults", field::faults, true},
};

const field_name* find_field(std::string_view name) {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

constexpr std::string_view field_list =
    "name, cmd, user, state, pid, cpu, rss, vms, shared, mem, threads, faults";

/** The psutil state words and the /proc letters they stand for. */
constexpr std::string_view states[] = {"running",      "sleeping", "disk-sleep", "stopped",
                                       "tracing-stop", "zombie",   "dead",       "wake-kill",
                                       "waking",       "idle",     "parked"};

filter_error error(std::string_view token, std::string message) {
    return {std::string(token), std::move(message)};
}

/** "50", "1.5G", "512MiB", "2%", "10k": the number in base units, or why not. */
std::variant<double, std::string> parse_number(std::string_view v) {
    if (v.empty()) return std::string("a number is missing");
    double x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc{} || !std::isfinite(x) || v.front() == '+' || v.front() == '-')
        return "'" + std::string(v) + "' is not a number";
    std::string unit =
        lower(std::string_view(p, static_cast<std::size_t>(v.data() + v.size() - p)));
    double factor = 1;
    if (unit.empty() || unit == "%" || unit == "b")
        factor = 1;
    else {
        const char scale = unit.front();
        std::string rest = unit.substr(1);
        if (!rest.empty() && rest != "b" && rest != "ib")
            return "unknown unit '" + std::string(p, v.data() + v.size()) +
                   "' (use K, M, G, T or %)";
        switch (scale) {
        case 'k':
            factor = 1024.0;
            break;
        case 'm':
            factor = 1024.0 * 1024;
            break;
        case 'g':
            factor = 1024.0 * 1024 * 1024;
            break;
        case 't':
            factor = 1024.0 * 1024 * 1024 * 1024;
            break;
        default:
            return "unknown unit '" + std::string(p, v.data() + v.size()) +
                   "' (use K, M, G, T or %)";
        }
    }
    return x * factor;
}

/** Letters only: what may name a field (so "kworker/0:1" stays a plain word). */
bool field_like(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

std::variant<filter_term, filter_error> parse_term(std::string_view tok) {
    filter_term t;
    auto opos = tok.find_first_of("<>=");
    auto colon = tok.find(':');
    if (opos != std::string_view::npos && !field_like(tok.substr(0, opos)))
        opos = std::string_view::npos;
    if (colon != std::string_view::npos && (colon == 0 || !field_like(tok.substr(0, colon))))
        colon = std::string_view::npos;
    // field OP number
    if (opos != std::string_view::npos && (colon == std::string_view::npos || opos < colon)) {
        std::string name = lower(tok.substr(0, opos));
        std::string_view rest = tok.substr(opos);
        if (rest.substr(0, 2) == ">=")
            t.how = op::ge, rest.remove_prefix(2);
        else if (rest.substr(0, 2) == "<=")
            t.how = op::le, rest.remove_prefix(2);
        else if (rest.front() == '>')
            t.how = op::gt, rest.remove_prefix(1);
        else if (rest.front() == '<')
            t.how = op::lt, rest.remove_prefix(1);
        else
            t.how = op::eq, rest.remove_prefix(rest.substr(0, 2) == "==" ? 2 : 1);
        if (name.empty())
            return error(tok, "'" + std::string(tok) +
                                  "': a field is missing before the comparison (" +
                                  std::string(field_list) + ")");
        const field_name* f = find_field(name);
        if (!f)
            return error(tok, "'" + std::string(tok) + "': unknown field '" + name +
                                  "' (fields: " + std::string(field_list) + ")");
        if (!f->numeric)
            return error(tok, "'" + std::string(tok) + "': " + name + " is text; write " + name +
                                  ":value");
        auto n = parse_number(rest);
        if (auto* why = std::get_if<std::string>(&n))
            return error(tok, "'" + std::string(tok) + "': " + *why);
        t.what = f->what;
        t.number = std::get<double>(n);
        return t;
    }
    if (colon != std::string_view::npos) {
        std::string name = lower(tok.substr(0, colon));
        std::string value = lower(tok.substr(colon + 1));
        const field_name* f = find_field(name);
        if (!f)
            return error(tok, "'" + std::string(tok) + "': unknown field '" + name +
                                  "' (fields: " + std::string(field_list) + ")");
        if (value.empty())
            return error(tok, "'" + std::string(tok) + "': a value is missing after " + name + ":");
        t.what = f->what;
        if (f->numeric) {
            auto n = parse_number(value);
            if (auto* why = std::get_if<std::string>(&n))
                return error(tok, "'" + std::string(tok) + "': " + *why);
            t.how = op::eq;
            t.number = std::get<double>(n);
            return t;
        }
        if (f->what == field::state) {
            bool known = std::find(std::begin(states), std::end(states), value) != std::end(states);
            if (!known)
                return error(tok, "'" + std::string(tok) + "': unknown state '" + value +
                                      "' (running, sleeping, disk-sleep, stopped, tracing-stop, "
                                      "zombie, dead, idle, …)");
            t.how = op::equals;
        } else
            t.how = f->what == field::user ? op::equals : op::contains;
        t.text = value;
        return t;
    }
    t.text = lower(tok);
    return t;
}

bool compare(double v, const filter_term& t) {
    switch (t.how) {
    case op::gt:
        return v > t.number;
    case op::ge:
        return v >= t.number;
    case op::lt:
        return v < t.number;
    case op::le:
        return v <= t.number;
    default:
        return v == t.number;
    }
}

std::optional<double> value_of(const process_sample& p, field f) {
    switch (f) {
    case field::pid:
        return p.key.pid;
    case field::cpu:
        return p.cpu_percent;
    case field::rss:
        return static_cast<double>(p.rss);
    case field::vms:
        return static_cast<double>(p.vms);
    case field::shared:
        return p.shared ? std::optional<double>(static_cast<double>(*p.shared)) : std::nullopt;
    case field::mem:
        return p.memory_percent;
    case field::threads:
        return static_cast<double>(p.num_threads);
    case field::faults:
        if (!p.minor_faults_per_sec && !p.major_faults_per_sec) return std::nullopt;
        return p.minor_faults_per_sec.value_or(0) + p.major_faults_per_sec.value_or(0);
    default:
        return std::nullopt;
    }
}

bool holds(const filter_term& t, const process_sample& p) {
    std::string_view user = p.username ? std::string_view(*p.username) : std::string_view();
    std::string_view cmd = p.cmdline ? std::string_view(*p.cmdline) : std::string_view();
    switch (t.what) {
    case field::any: {
        int pid = 0;
        auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), pid);
        if (ec == std::errc{} && end == t.text.data() + t.text.size() && pid == p.key.pid)
            return true;
        return icontains(p.name, t.text) || icontains(cmd, t.text) || icontains(user, t.text);
    }
    case field::name:
        return icontains(p.name, t.text);
    case field::cmd:
        return icontains(cmd, t.text);
    case field::user:
        return p.username && lower(user) == t.text;
    case field::state:
        return t.text == p.status;
    default: {
        auto v = value_of(p, t.what);
        return v && compare(*v, t);
    }
    }
}

} // namespace

std::variant<process_filter, filter_error> parse_filter(std::string_view text) {
    process_filter f;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])))
            ++j;
        if (j == i) break;
        auto t = parse_term(text.substr(i, j - i));
        if (auto* e = std::get_if<filter_error>(&t)) return *e;
        f.terms.push_back(std::move(std::get<filter_term>(t)));
        i = j;
    }
    return f;
}

bool matches(const process_filter& f, const process_sample& p) {
    return std::all_of(f.terms.begin(), f.terms.end(),
                       [&](const filter_term& t) { return holds(t, p); });
}

} // namespace procpulse::core
