#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace procpulse::procfs {

/** One interface line of /proc/net/dev (counters since the interface appeared). */
struct net_dev_stat {
    std::string name;
    std::uint64_t rx_bytes = 0, rx_packets = 0, rx_errors = 0, rx_drops = 0;
    std::uint64_t tx_bytes = 0, tx_packets = 0, tx_errors = 0, tx_drops = 0;
};

/**
 * Parses /proc/net/dev, in file order: the two header lines are skipped, as is any line without
 * "name:" and sixteen numbers.
 */
std::vector<net_dev_stat> parse_net_dev(std::string_view text);

} // namespace procpulse::procfs
