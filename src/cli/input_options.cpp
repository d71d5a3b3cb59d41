#include "commands.hpp"

namespace cptsmap::cli {

void add_communes_option(CLI::App& cmd, LoadOptions& load)
{
    cmd.add_option_function<std::vector<std::string>>(
           "--communes",
           [&load](const std::vector<std::string>& paths) {
               load.path = paths.front();
               load.more_paths.assign(paths.begin() + 1, paths.end());
           },
           "COMMUNE layer: a .shp, a GeoPackage/GeoJSON, or an ADMIN EXPRESS folder; again for each delivery "
           "(France entière: the mainland and each overseas département, each in its own CRS)")
        ->required()
        ->expected(1) // one path per --communes: a positional argument after it stays positional
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_layer_options(CLI::App& cmd, LoadOptions& load)
{
    cmd.add_option("--layer", load.layer, "layer to read in a multi-layer data set (default: COMMUNE)");
    cmd.add_option("--epci", load.epci_path, "EPCI layer for EPCI names (default: EPCI beside the communes)");
    cmd.add_option("--input-crs", load.assume_crs, "CRS to assume when the input has none (e.g. EPSG:2154)");
}

void add_input_options(CLI::App& cmd, BuildOptions& options)
{
    add_communes_option(cmd, options.load);
    CLI::Option_group* source = cmd.add_option_group("membership", "where the territories come from (exactly one)");
    source->add_option("--definitions", options.definitions, "territory definitions (TOML)");
    source->add_option("--membership", options.membership.path, "membership table (CSV, XLSX, ODS): one row per territory and commune");
    source->require_option(1);
    cmd.add_option("--territory-col", options.membership.territory_column, "--membership: column of the territory id")->capture_default_str();
    cmd.add_option("--commune-col", options.membership.commune_column, "--membership: column of the commune (INSEE code or name)")->capture_default_str();
    cmd.add_option("--territory-name-col", options.membership.name_column, "--membership: column of the territory name, if any")->capture_default_str();
    cmd.add_option("--share-col", options.membership.share_column,
                   "--membership: column of the declared share of a commune split between territories, if any")
        ->capture_default_str();
    cmd.add_option("--sheet", options.membership.layer, "--membership: sheet (XLSX, ODS) or layer to read (default: the first)");
    cmd.add_option("--study-area", options.study_area,
                   "expression of the study area, replacing the definitions' [study_area] (default: theirs, or the départements the territories touch)");
    cmd.add_option("--population", options.population,
                   "INSEE légal populations of any year (donnees_communes CSV) in place of the layer's POPULATION");
    cmd.add_option("--cog-history", options.history, "INSEE commune history (mouvements-communes CSV): old codes and names lead to today's communes");
    cmd.add_option("--layer", options.load.layer, "layer to read in a multi-layer data set (default: COMMUNE)");
    cmd.add_option("--epci", options.load.epci_path, "EPCI layer for EPCI names (default: EPCI beside the communes)");
    cmd.add_option("--arrondissements", options.load.arrondissements_path,
                   "ARRONDISSEMENT_MUNICIPAL layer: Paris, Lyon and Marseille by arrondissement (default: the one beside the communes)");
    cmd.add_option("--input-crs", options.load.assume_crs, "CRS to assume when the input has none (e.g. EPSG:2154)");
}

} // namespace cptsmap::cli
