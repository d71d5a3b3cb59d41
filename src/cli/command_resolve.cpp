#include "commands.hpp"
#include "progress.hpp"

#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/layer/commune_loader.hpp"
#include "cptsmap/resolve/resolver.hpp"

#include <iostream>
#include <optional>

namespace cptsmap::cli {

namespace {
struct ResolveArgs {
    LoadOptions load;
    std::string history;
    std::string expression;
};
} // namespace

Action add_resolve_command(CLI::App& app, const GlobalOptions& global)
{
    auto args = std::make_shared<ResolveArgs>();
    CLI::App* cmd = app.add_subcommand("resolve", "Print the communes an expression selects (INSEE code, tab, name), one per line");
    add_communes_option(*cmd, args->load);
    add_layer_options(*cmd, args->load);
    cmd->add_option("--cog-history", args->history, "INSEE commune history (mouvements-communes CSV): old codes and names lead to today's communes");
    cmd->add_option("expression", args->expression, "e.g. 'epci(\"Dijon Métropole\") - commune(\"Fénay\")'")->required();
    return [args, &global] {
        ExprPtr expr = parse_expression(args->expression);
        GeosContext geos;
        Progress progress(global.quiet, global.progress);
        const ProgressFn step = progress.phase("resolving");
        const auto report_step = [&](std::string_view what, int done) {
            if (step) step(what, done, 2);
        };
        report_step("loading the communes", 0);
        CommuneLayer layer = load_communes(args->load, geos);
        std::optional<CommuneHistory> history;
        if (!args->history.empty()) history = load_commune_history(args->history);
        report_step("resolving the expression", 1);
        Resolver resolver(layer, history ? &*history : nullptr);
        CommuneSet set = resolver.resolve_expression(*expr);
        report_step("done", 2);
        progress.clear();
        std::vector<CommuneIndex> order(set.begin(), set.end());
        std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
        for (CommuneIndex i : order) std::cout << layer[i].insee << '\t' << layer[i].name << '\n';
        std::vector<std::string> warnings = layer.warnings;
        warnings.insert(warnings.end(), resolver.warnings().begin(), resolver.warnings().end());
        print_warnings(warnings, global);
    };
}

} // namespace cptsmap::cli
