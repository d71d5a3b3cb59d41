#pragma once
// What `cptsmap diff` writes: changes.csv and changes.geojson (one row or feature per commune
// whose claims changed, before and after), territory_changes.csv (communes, population and area
// before and after, communes gained and lost), diff.json (all of it, for scripts), diff.svg,
// diff.png and diff.html (the changes on a map, in the style of map.svg and map.html), and the
// one-screen summary.
#include "cptsmap/diff/territory_diff.hpp"
#include "cptsmap/export/palette.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <array>
#include <string>

namespace cptsmap {

struct DiffOutputOptions {
    bool map = false; // diff.svg, diff.png and diff.html
    bool overwrite = false; // write into a folder of other files (OutputDirOptions::overwrite)
};

// The kinds of change in the order the outputs list them, and the colour of each on the maps.
inline constexpr std::array<ChangeKind, 7> kChangeKinds = {ChangeKind::Joined,        ChangeKind::Moved,           ChangeKind::Left,
                                                           ChangeKind::BecameGap,     ChangeKind::BecameOverlap,   ChangeKind::ResolvedOverlap,
                                                           ChangeKind::Changed};
Rgb change_colour(ChangeKind k);

// Territory ids as one comma-separated text ("centre-21,pays-d-or"), as the outputs write claims.
std::string joined(const std::vector<std::string>& ids);

// The communes a diff map draws: those of either version's départements and every changed one.
std::vector<char> diff_map_communes(const CommuneLayer& layer, const TerritoryDiff& diff);

// Writes into `out_dir` (created; files replaced atomically, nothing half-written on error).
void write_diff(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff,
                const std::string& out_dir, const GeosContext& geos, const DiffOutputOptions& options = {});

std::string diff_json(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff);
std::string diff_summary(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after, const TerritoryDiff& diff);
// The changes drawn over the communes of both study areas, by kind, with a legend and a scale bar.
std::string render_diff_svg(const CommuneLayer& layer, const TerritoryDiff& diff, const GeosContext& geos);

} // namespace cptsmap
