#pragma once
// What a build computed, below everything that consumes it: the communes, the definitions and how
// they resolved, coverage (sets), assembly (geometry), the sheets' figures, warnings and timings.
// export/, map/ and sheets/ read it; pipeline/ fills it.
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/geometry/assemble.hpp"
#include "cptsmap/layer/commune_layer.hpp"
#include "cptsmap/resolve/resolver.hpp"
#include "cptsmap/result/figures.hpp"
#include "cptsmap/result/timings.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

// Progress of a long job, for displays: step `what` is starting, `done` of `total` steps are done.
using ProgressFn = std::function<void(std::string_view what, int done, int total)>;

struct BuildResult {
    CommuneLayer layer;
    Definitions definitions;
    Resolution resolution;
    Coverage coverage;
    Assembly assembly;
    SheetFigures figures; // the territory sheets' figures (filled by compute())
    std::vector<std::string> warnings; // all of them, in the order they arose
    std::vector<StageTime> timings;    // wall and CPU time of each stage of compute()
};

} // namespace cptsmap
