#pragma once
// Wall time of the stages of a build, for `cptsmap build --timings` and the benchmark: measured,
// never asserted on.
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

namespace cptsmap {

struct StageTime {
    std::string stage;
    double seconds = 0.0;     // wall time
    double cpu_seconds = 0.0; // CPU time of the process, all threads (std::clock)
    double peak_rss_mb = 0.0; // the process's peak resident memory so far (getrusage), where it grows
};

// Appends one StageTime per call to lap(), each the time since the previous lap (or construction).
// CPU time is the better measure on a loaded machine; wall time shows what parallelism gains.
class StageClock {
public:
    explicit StageClock(std::vector<StageTime>& out) : out_(out), last_(std::chrono::steady_clock::now()), last_cpu_(std::clock()) {}
    void lap(std::string stage)
    {
        const auto now = std::chrono::steady_clock::now();
        const std::clock_t cpu = std::clock();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        out_.push_back({std::move(stage), std::chrono::duration<double>(now - last_).count(),
                        static_cast<double>(cpu - last_cpu_) / CLOCKS_PER_SEC, static_cast<double>(usage.ru_maxrss) / 1024.0});
        last_ = now;
        last_cpu_ = cpu;
    }

private:
    std::vector<StageTime>& out_;
    std::chrono::steady_clock::time_point last_;
    std::clock_t last_cpu_;
};

} // namespace cptsmap
