#pragma once
// How coverage grew (`cptsmap timeline`): the coverage of the study area and of each département at
// each date of a dated list of definitions. A timeline file is TOML, in one of two forms:
//
//   definitions = "cote-dor.toml"      # one definitions file (relative to the timeline file)
//   [founded]                          # and the date each territory was founded (or joined)
//   "cpts-21-52" = "2020-12-10"        # territories without a date are left out
//
//   [[version]]                        # or dated versions, each its own definitions file
//   date = "2021-09-16"
//   definitions = "cote-dor-2021.toml"
//
// Dates are ISO (YYYY-MM-DD); each version stands from its date on.
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/history/commune_history.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <string>
#include <vector>

namespace cptsmap {

struct TimelinePoint {
    std::string date;
    std::vector<std::string> territories; // ids in force at that date
    PopulationStats study_area;
    std::vector<PopulationStats> by_departement; // sorted by code
    Coverage coverage;                           // who claims each commune (indices into `territories`)
    std::vector<std::string> names;              // each territory's name, as `territories`
    CommuneSet study_area_communes;
};

struct CoverageTimeline {
    std::string source;
    std::vector<TimelinePoint> points; // by date
    std::vector<std::string> warnings;
};

// Reads the timeline file and resolves each date's territories on the layer. Throws
// DefinitionError (file:line:column) for a bad file, date or territory id.
CoverageTimeline coverage_timeline(const std::string& path, const CommuneLayer& layer, const CommuneHistory* history);

// timeline.csv text: one row per date and département, and one for the study area ("").
std::string timeline_csv(const CoverageTimeline& t);
// A line chart of the covered population (%) per département and of the study area over time, as
// SVG: one circle per point (data-date, data-series), dates spaced by time.
std::string render_timeline_svg(const CoverageTimeline& t);

} // namespace cptsmap
