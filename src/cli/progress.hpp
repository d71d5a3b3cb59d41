#pragma once
// A one-line progress bar on stderr, redrawn in place, only when stderr is a terminal and -q is not
// given (nothing at all when stderr is piped or redirected, so logs and scripts stay clean).
#include "cptsmap/pipeline/build.hpp"

#include <chrono>
#include <string>

namespace cptsmap::cli {

class TerminalProgress {
public:
    explicit TerminalProgress(bool quiet);
    ~TerminalProgress(); // clears the line
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    bool enabled() const noexcept { return enabled_; }
    // A callback for BuildOptions/OutputOptions, drawing "phase [####----] done/total what".
    ProgressFn phase(std::string name);
    void clear();

private:
    void draw(const std::string& phase, std::string_view what, int done, int total);
    bool enabled_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace cptsmap::cli
