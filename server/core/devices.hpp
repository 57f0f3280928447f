#pragma once
/** Disk and network rates of the system sample, from two readings and the measured gap. */
#include "core/system_sample.hpp"
#include "procfs/diskstats.hpp"
#include "procfs/fs_usage.hpp"
#include "procfs/mountinfo.hpp"
#include "procfs/net_dev.hpp"

#include <optional>
#include <string>
#include <vector>

namespace procpulse::core {

/**
 * The block devices worth listing: loop and ram devices, and devices with no I/O since boot, are
 * dropped; at most `cap` remain, in file order.
 */
std::vector<procfs::disk_stat> listed_disks(std::vector<procfs::disk_stat> all, std::size_t cap);

/**
 * Whether a device's I/O counts in the disk totals: not a partition of another listed device
 * ("sda1" of "sda", "nvme0n1p2" of "nvme0n1", "mmcblk0p1" of "mmcblk0") and not a device-mapper or
 * md device (dm-0, md127), whose I/O the disks beneath them count already.
 */
bool counts_in_disk_total(const std::string& name, const std::vector<procfs::disk_stat>& all);

/**
 * Fills out.disks and the disk totals from the current reading and the previous one (null on the
 * first sweep: rates absent). `seconds` is the measured gap between the two readings.
 */
void disk_rates(const std::vector<procfs::disk_stat>* prev,
                const std::vector<procfs::disk_stat>& cur, double seconds, system_sample& out);

/** Fills out.net and the network totals (lo left out of them); the same rules as disk_rates. */
void net_rates(const std::vector<procfs::net_dev_stat>* prev,
               const std::vector<procfs::net_dev_stat>& cur, double seconds, system_sample& out);

/** One file system usage line from a mount and its statvfs (df's used and Use%). */
fs_sample fs_line(const procfs::mount_entry& m, const procfs::fs_usage& u);

} // namespace procpulse::core
