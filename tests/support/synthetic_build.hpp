#pragma once
// A whole build (compute(), no writing) of TOML definitions over the synthetic layer
// (data/shapefiles/synthetic), for the unit tests of the modules below the pipeline: assemble,
// report, maps.
#include "cptsmap/pipeline/build.hpp"

#include <string>

namespace cptsmap::test {

// West claims Alpha and Saint-Gamma (99003), east claims Saint-Gamma, Bêta and 98001: 99003 is an
// overlap; L'Œuf (the enclave in 99003) and Epsilon (two parts) are gaps of the study area dep 99.
extern const char* const kTwoTerritories;

BuildResult synthetic_build(const std::string& toml = kTwoTerritories);

} // namespace cptsmap::test
