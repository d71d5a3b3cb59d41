#pragma once
// Subcommands of the cptsmap CLI. Each registers its options on a CLI11 subcommand and returns the
// action to run; actions throw cptsmap::Error on bad input (main turns it into one line + exit code).
#include <CLI/CLI.hpp>

#include "cptsmap/clean/coverage_clean.hpp"
#include "cptsmap/pipeline/build.hpp"
#include "cptsmap/simplify/coverage_simplify.hpp"
#include "progress.hpp"

#include <functional>
#include <optional>
#include <string>

namespace cptsmap::cli {

struct GlobalOptions {
    bool quiet = false;
    ProgressMode progress = ProgressMode::Auto; // --progress=json: machine-readable progress on stderr
};

using Action = std::function<void()>;

// Options that do not go together, found once the command line is parsed: a wrong command line,
// as CLI11's own errors (one line, exit 2).
class UsageError : public Error {
public:
    using Error::Error;
};

Action add_build_command(CLI::App& app, const GlobalOptions& global);
Action add_resolve_command(CLI::App& app, const GlobalOptions& global);
Action add_check_command(CLI::App& app, const GlobalOptions& global);
Action add_export_definitions_command(CLI::App& app, const GlobalOptions& global);
Action add_diff_command(CLI::App& app, const GlobalOptions& global);
Action add_timeline_command(CLI::App& app, const GlobalOptions& global);
Action add_simplify_command(CLI::App& app, const GlobalOptions& global);
Action add_serve_command(CLI::App& app, const GlobalOptions& global);
Action add_clean_command(CLI::App& app, const GlobalOptions& global);

// Blocks SIGINT/SIGTERM/SIGHUP and handles them on a thread of their own: staging folders are
// removed and the process exits with 128 + signal. Call first in main(), before any other thread.
void handle_interrupts();
// Instead of that: `action` runs on the first signal, and the command then ends as it chooses.
void on_interrupt(std::function<void()> action);

// The inputs `build` and `export-definitions` share: the commune layer, exactly one of --definitions
// and --membership (with its column options), and --cog-history.
// --communes, given once per COMMUNE layer (delivery).
void add_communes_option(CLI::App& cmd, LoadOptions& load);
// --layer, --epci, --input-crs: how the commune layer is read, for the commands that read one.
void add_layer_options(CLI::App& cmd, LoadOptions& load);
void add_input_options(CLI::App& cmd, BuildOptions& options);
// --out (required; an empty value is a command-line error, exit 2) with `help`, and --overwrite:
// write into an existing folder that is not a previous cptsmap output.
extern const char* const kOverwriteFolderHelp;
void add_output_options(CLI::App& cmd, std::string& out, bool& overwrite, const std::string& help,
                        const std::string& overwrite_help = kOverwriteFolderHelp);

// --simplify METRES and --simplify-pct P (at most one; exactly one when `required`), and the
// options they give (nullopt for neither), and the one line that tells what simplification did.
void add_simplify_options(CLI::App& cmd, double& tolerance, double& keep_pct, bool required);
std::optional<SimplifyOptions> simplify_options(const CLI::App& cmd, double tolerance, double keep_pct);
std::string simplify_summary(const SimplifyStats& s);

// --snap-distance, --overlap-rule and --gap-width of `clean` (prefix "") and `build --clean`
// (prefix "clean-"); the rule's name goes into `rule`, for overlap_rule_from.
void add_clean_rule_options(CLI::App& cmd, CleanOptions& clean, std::string& rule, const std::string& prefix);

// Prints warnings on stderr, one line each, unless quiet.
void print_warnings(const std::vector<std::string>& warnings, const GlobalOptions& global);

} // namespace cptsmap::cli
