#!/usr/bin/python3
"""(c) of the sweep benchmark: psutil.process_iter with the attributes procpulse collects.

Run with Debian's python3-psutil (/usr/bin/python3). A warm-up sweep comes first; psutil then keeps
its Process objects between process_iter calls (the fair comparison: that is its fast path). Each
sweep also reads the system figures the collector reads (memory, swap, CPU times, load average).
Prints one line of key=value pairs in the format of bench_sweep.
"""
import argparse
import os
import time

import psutil

ATTRS = [
    "pid", "ppid", "name", "cmdline", "username", "status", "create_time", "cpu_percent",
    "cpu_times", "memory_info", "memory_percent", "num_threads", "nice", "num_ctx_switches",
    "io_counters",
]


def sweep():
    psutil.virtual_memory()
    psutil.swap_memory()
    psutil.cpu_percent(percpu=True)
    psutil.cpu_stats()
    os.getloadavg()
    return sum(1 for _ in psutil.process_iter(ATTRS, ad_value=None))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweeps", type=int, default=50)
    args = parser.parse_args()

    sweep()
    t0, cpu0 = os.times(), time.process_time()
    processes = sum(sweep() for _ in range(args.sweeps))
    cpu, t1 = time.process_time() - cpu0, os.times()

    per = 1e6 / max(processes, 1)
    print(f"impl=psutil sweeps={args.sweeps} processes={processes / args.sweeps:.1f} "
          f"cpu_us={cpu * per:.3f} user_us={(t1.user - t0.user) * per:.3f} "
          f"sys_us={(t1.system - t0.system) * per:.3f}")


if __name__ == "__main__":
    main()
