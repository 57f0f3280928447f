#include "procfs/net_dev.hpp"

#include "procfs/parse.hpp"

namespace procpulse::procfs {

std::vector<net_dev_stat> parse_net_dev(std::string_view text) {
    std::vector<net_dev_stat> out;
    for_each_line(text, [&](std::string_view line) {
        // Interface names cannot hold ':' (dev_valid_name), and a large rx_bytes may touch it.
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return;
        std::string_view name = line.substr(0, colon);
        while (!name.empty() && field_cursor::is_space(name.front()))
            name.remove_prefix(1);
        if (name.empty() || name.find_first_of(" \t|") != std::string_view::npos) return;
        field_cursor c(line.substr(colon + 1));
        net_dev_stat s;
        std::uint64_t skip = 0;
        // rx: bytes packets errs drop fifo frame compressed multicast
        // tx: bytes packets errs drop fifo colls carrier compressed
        if (!(c.next_number(s.rx_bytes) && c.next_number(s.rx_packets) &&
              c.next_number(s.rx_errors) && c.next_number(s.rx_drops) && c.next_number(skip) &&
              c.next_number(skip) && c.next_number(skip) && c.next_number(skip) &&
              c.next_number(s.tx_bytes) && c.next_number(s.tx_packets) &&
              c.next_number(s.tx_errors) && c.next_number(s.tx_drops)))
            return;
        s.name = name;
        out.push_back(std::move(s));
    });
    return out;
}

} // namespace procpulse::procfs
