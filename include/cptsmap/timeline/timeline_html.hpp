#pragma once
// timeline.html (`cptsmap timeline --map`): the coverage at each date of a timeline as a
// step-through map in a self-contained Leaflet page, in the style of map.html. A slider, previous /
// next buttons and a play button step through the dates; at each date the communes are filled with
// the colour of the territory claiming them (overlaps and gaps as on map.html), and the panel gives
// the date, the territories in force and the covered population. timeline.html#date=K opens at the
// K-th date (from 0), #hover=INSEE as on map.html.
#include "cptsmap/io/geos_context.hpp"
#include "cptsmap/timeline/coverage_timeline.hpp"

#include <string>

namespace cptsmap {

// Throws OutputError when the library was built without Leaflet.
std::string render_timeline_html(const CoverageTimeline& t, const CommuneLayer& layer, const GeosContext& geos);

} // namespace cptsmap
