#include "commands.hpp"

#include "cptsmap/export/membership_csv.hpp"
#include "cptsmap/export/output_dir.hpp"

#include <filesystem>
#include <iostream>

namespace cptsmap::cli {

namespace {
struct ExportArgs {
    BuildOptions options;
    std::string out;
};
} // namespace

Action add_export_definitions_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand("export-definitions",
                                       "Resolve the definitions and write the membership as a clean CSV (territory_id, territory_name, insee, commune)");
    add_input_options(*cmd, args->options);
    cmd->add_option("--out", args->out, "CSV file to write (replaced atomically)")->required();
    return [args, &global] {
        GeosContext geos;
        BuildResult result = resolve_definitions(args->options, geos);
        const std::filesystem::path out = std::filesystem::absolute(args->out).lexically_normal();
        OutputDir dir(out.parent_path());
        write_membership_csv(result.layer, result.resolution, dir.staged(out.filename().string()).string());
        dir.commit();
        print_warnings(result.warnings, global);
        if (!global.quiet) {
            std::size_t rows = 0;
            for (const auto& t : result.resolution.territories) rows += t.communes.size();
            std::cout << "wrote " << args->out << ": " << result.resolution.territories.size() << " territories, " << rows << " rows\n";
        }
    };
}

} // namespace cptsmap::cli
