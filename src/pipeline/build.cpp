#include "cptsmap/pipeline/build.hpp"

#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/export/report.hpp"
#include "cptsmap/export/resolution_csv.hpp"

#include <fstream>
#include <optional>

namespace cptsmap {

BuildResult resolve_definitions(const BuildOptions& options, const GeosContext& geos)
{
    BuildResult r;
    // Definitions first: a typo in them is found without waiting for a national layer to load.
    r.definitions = options.membership.path.empty() ? load_definitions(options.definitions) : load_membership_table(options.membership);
    std::optional<CommuneHistory> history;
    if (!options.history.empty()) history = load_commune_history(options.history);
    r.layer = load_communes(options.load, geos);
    r.warnings = r.layer.warnings;
    r.warnings.insert(r.warnings.end(), r.definitions.warnings.begin(), r.definitions.warnings.end());

    Resolver resolver(r.layer, history ? &*history : nullptr);
    r.resolution = resolver.resolve(r.definitions);
    r.warnings.insert(r.warnings.end(), r.resolution.warnings.begin(), r.resolution.warnings.end());
    return r;
}

BuildResult compute(const BuildOptions& options, const GeosContext& geos)
{
    BuildResult r = resolve_definitions(options, geos);

    r.coverage = compute_coverage(r.layer, r.resolution);
    AssembleOptions assemble_options;
    assemble_options.threads = options.threads;
    r.assembly = assemble(geos, r.layer, r.resolution, r.coverage, assemble_options);
    r.warnings.insert(r.warnings.end(), r.assembly.warnings.begin(), r.assembly.warnings.end());
    return r;
}

void write_outputs(const BuildResult& result, const std::string& out_dir, const GeosContext& geos)
{
    OutputDir out(out_dir);
    write_territories(result, out.staged("territories.geojson").string(), geos);
    write_communes(result, out.staged("communes.geojson").string(), geos);
    write_gaps(result, out.staged("gaps.geojson").string(), geos);
    write_overlaps(result, out.staged("overlaps.geojson").string(), geos);
    write_report(result, out.staged("report.json").string());
    write_resolution_csv(result.layer, result.resolution.terms, out.staged("resolution.csv").string());
    out.commit();
}

} // namespace cptsmap
