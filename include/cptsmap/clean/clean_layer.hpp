#pragma once
// `build --clean`: the communes of a loaded layer cleaned in memory (clean/coverage_clean.hpp)
// before anything is dissolved, each delivery (CRS) on its own, so that noded unions and sliver
// filling become rare. Commune sets, populations and the areas read (area_m2) are unchanged.
#include "cptsmap/clean/coverage_clean.hpp"
#include "cptsmap/layer/commune_layer.hpp"

namespace cptsmap {

// Replaces the geometry of every commune that changed. With OverlapRule::Priority and no priority
// values given, the commune of greater population wins. Returns the changes of every delivery,
// with CleanChange::polygon (and others) as indices into the layer; CleanResult::polygons is
// left empty (the layer holds them).
CleanResult clean_layer(CommuneLayer& layer, const GeosContext& geos, const CleanOptions& options);

} // namespace cptsmap
