//! The machine a benchmark ran on, for its header line: CPU model, cores, memory (Linux /proc).

pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|m| m.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("? GiB".to_string(), |kb| format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0));
    format!("{model}, {cores} cores, {memory}, {} {}", std::env::consts::OS, std::env::consts::ARCH)
}
