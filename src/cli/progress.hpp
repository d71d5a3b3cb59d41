#pragma once
// Progress on stderr, in one of two modes:
// - auto (the default): a one-line bar redrawn in place, only when stderr is a terminal and -q is
//   not given (nothing at all when stderr is piped or redirected, so logs and scripts stay clean);
// - json (--progress=json): one JSON object per line, for programs that run the CLI (the QGIS
//   plugin): {"phase":"computing","step":"dissolving","done":3,"total":5}. Written whatever -q and
//   whether stderr is a terminal; warnings and errors keep their text lines, which never start
//   with '{'. The last line of a phase has done == total.
#include "cptsmap/pipeline/build.hpp"

#include <chrono>
#include <string>

namespace cptsmap::cli {

enum class ProgressMode { Auto, Json };

class Progress {
public:
    Progress(bool quiet, ProgressMode mode);
    ~Progress(); // clears the bar
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // A callback for BuildOptions/OutputOptions, drawing "phase [####----] done/total what" or
    // writing {"phase":..., "step": what, "done":..., "total":...}; empty when there is no progress.
    ProgressFn phase(std::string name);
    void clear();

private:
    void draw(const std::string& phase, std::string_view what, int done, int total);
    ProgressMode mode_;
    bool enabled_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace cptsmap::cli
