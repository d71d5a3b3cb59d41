#pragma once
// report.json (the contract automation relies on, see README "Outputs") and the readable summary.
#include "cptsmap/result/build_result.hpp"

#include <string>

namespace cptsmap {

// report.json's text.
std::string report_json(const BuildResult& r);
void write_report(const BuildResult& r, const std::string& path);
// A few lines for people: territories, study area coverage, gaps and overlaps.
std::string format_summary(const BuildResult& r);

} // namespace cptsmap
