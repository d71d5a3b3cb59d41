#pragma once
// Wall time of the stages of a build, for `cptsmap build --timings` and the benchmark: measured,
// never asserted on.
#include <chrono>
#include <string>
#include <vector>

namespace cptsmap {

struct StageTime {
    std::string stage;
    double seconds = 0.0;
};

// Appends one StageTime per call to lap(), each the time since the previous lap (or construction).
class StageClock {
public:
    explicit StageClock(std::vector<StageTime>& out) : out_(out), last_(std::chrono::steady_clock::now()) {}
    void lap(std::string stage)
    {
        const auto now = std::chrono::steady_clock::now();
        out_.push_back({std::move(stage), std::chrono::duration<double>(now - last_).count()});
        last_ = now;
    }

private:
    std::vector<StageTime>& out_;
    std::chrono::steady_clock::time_point last_;
};

} // namespace cptsmap
