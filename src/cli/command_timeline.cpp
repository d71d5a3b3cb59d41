#include "commands.hpp"
#include "progress.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/output_dir.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "cptsmap/map/png_render.hpp"
#include "cptsmap/names/departements.hpp"
#include "cptsmap/result/figure_text.hpp"
#include "cptsmap/timeline/coverage_timeline.hpp"
#include "cptsmap/timeline/timeline_html.hpp"

#include <iostream>
#include <optional>

namespace cptsmap::cli {

namespace {
struct TimelineArgs {
    LoadOptions load;
    std::string history;
    std::string timeline;
    std::string out_dir;
    bool map = false;
    bool overwrite = false;
};
} // namespace

Action add_timeline_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<TimelineArgs>();
    CLI::App* cmd = app.add_subcommand("timeline", "How coverage grew: the covered population at each date of dated definitions, as a table and a plot");
    add_communes_option(*cmd, args->load);
    cmd->add_option("--timeline", args->timeline,
                    "TOML: definitions = \"file.toml\" with [founded] \"id\" = \"YYYY-MM-DD\", or [[version]] date = \"...\", definitions = \"...\"")
        ->required();
    add_output_options(*cmd, args->out_dir, args->overwrite, "folder for timeline.csv, timeline.svg and timeline.png: new, empty, or a previous cptsmap output");
    cmd->add_option("--cog-history", args->history, "INSEE commune history (mouvements-communes CSV): old codes and names lead to today's communes");
    add_layer_options(*cmd, args->load);
    cmd->add_flag("--map", args->map, "also write timeline.html: a map that steps through the dates");
    return [args, &global] {
        check_output_folder(args->out_dir, args->overwrite); // before the long part, changing nothing
        GeosContext geos;
        Progress progress(global.quiet, global.progress);
        const ProgressFn step = progress.phase("timeline");
        const auto report_step = [&](std::string_view what, int done) {
            if (step) step(what, done, 3);
        };
        report_step("loading the communes", 0);
        const CommuneLayer layer = load_communes(args->load, geos);
        std::optional<CommuneHistory> history;
        if (!args->history.empty()) history = load_commune_history(args->history);
        report_step("resolving each date", 1);
        const CoverageTimeline t = coverage_timeline(args->timeline, layer, history ? &*history : nullptr);
        report_step("writing", 2);
        OutputDir out(args->out_dir, OutputDirOptions{args->overwrite});
        write_text_file(out.staged("timeline.csv"), timeline_csv(t));
        const std::string svg = render_timeline_svg(t);
        write_text_file(out.staged("timeline.svg"), svg);
        write_png_from_svg(svg, 1.5, out.staged("timeline.png").string());
        if (args->map) write_text_file(out.staged("timeline.html"), render_timeline_html(t, layer, geos));
        out.commit();
        report_step("done", 3);
        progress.clear();
        if (!global.quiet) {
            std::cout << "date        territories  covered population\n";
            for (const TimelinePoint& p : t.points) {
                std::cout << p.date << "  " << p.territories.size() << "            " << fixed_decimals(p.study_area.coverage_pct, 1) << " % ("
                          << thousands(p.study_area.covered_population) << " of " << thousands(p.study_area.population) << ")";
                if (p.by_departement.size() > 1)
                    for (const auto& d : p.by_departement) std::cout << "; " << d.departement << " " << fixed_decimals(d.coverage_pct, 1) << " %";
                std::cout << "\n";
            }
            std::cout << "outputs: " << args->out_dir << "/timeline.{csv,svg,png" << (args->map ? ",html" : "") << "}\n";
        }
        std::vector<std::string> warnings = layer.warnings;
        warnings.insert(warnings.end(), t.warnings.begin(), t.warnings.end());
        print_warnings(warnings, global);
    };
}

} // namespace cptsmap::cli
