// cptsmap: the command line. Exit codes: 0 success (warnings may have been printed), 1 bad input or
// output (data, definitions, folder), 2 wrong command line, 3 unexpected internal error.
#include "commands.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/names/suggest.hpp"
#include "cptsmap/version.hpp"
#include "process_memory.hpp"

#include <iostream>
#include <map>

namespace cptsmap::cli {

void print_warnings(const std::vector<std::string>& warnings, const GlobalOptions& global)
{
    if (global.quiet) return;
    for (const auto& w : warnings) std::cerr << "warning: " << w << '\n';
}

} // namespace cptsmap::cli

namespace {

// Errors are one line on stderr, whatever the message holds.
std::string one_line(std::string s)
{
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

// The first word of the command line that is neither an option nor the value of --progress: the
// command the user meant, when CLI11 found none it knows.
std::string first_word(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--progress") {
            ++i;
            continue;
        }
        if (!a.empty() && a[0] != '-') return a;
    }
    return {};
}

// "unknown command "bulid"; did you mean "build"? (commands: ...)", or "" for another error.
std::string unknown_command(const std::string& word, const std::vector<std::string>& commands)
{
    std::string list;
    for (const auto& c : commands) list += (list.empty() ? "" : ", ") + c;
    if (word.empty()) return "cptsmap: error: no command given; use one of " + list + " (cptsmap COMMAND --help for each)\n";
    std::string message = "cptsmap: error: unknown command \"" + word + "\"";
    const std::vector<std::size_t> near = cptsmap::closest(word, commands, 1);
    if (!near.empty()) message += "; did you mean \"" + commands[near.front()] + "\"?";
    return message + " (commands: " + list + ")\n";
}

} // namespace

int main(int argc, char** argv)
{
    using namespace cptsmap::cli;
    keep_freed_memory();
    handle_interrupts();
    CLI::App app{"cptsmap: CPTS territories from French communes: resolve, dissolve, find gaps and overlaps"};
    app.require_subcommand(1);
    app.fallthrough(); // global options (-q) may follow the subcommand
    GlobalOptions global;
    app.add_flag("-q,--quiet", global.quiet, "print no summary and no warnings (they stay in report.json)");
    std::string progress = "auto";
    app.add_option("--progress", progress,
                   "progress on stderr: auto (a bar when stderr is a terminal, not with -q) or json (one JSON object per line: "
                   "{\"phase\":\"computing\",\"step\":\"dissolving\",\"done\":3,\"total\":5}, whatever -q)")
        ->check(CLI::IsMember({"auto", "json"}))
        ->capture_default_str();
    app.set_version_flag("--version", "cptsmap " CPTSMAP_VERSION);
    // A wrong command line is one line too (exit 2), as every other error.
    app.failure_message([](const CLI::App*, const CLI::Error& e) { return "cptsmap: error: " + one_line(e.what()) + "; see cptsmap --help\n"; });
    std::map<std::string, Action> actions;
    actions["build"] = add_build_command(app, global);
    actions["resolve"] = add_resolve_command(app, global);
    actions["check"] = add_check_command(app, global);
    actions["export-definitions"] = add_export_definitions_command(app, global);
    actions["diff"] = add_diff_command(app, global);
    actions["timeline"] = add_timeline_command(app, global);
    actions["simplify"] = add_simplify_command(app, global);
    actions["serve"] = add_serve_command(app, global);
    actions["clean"] = add_clean_command(app, global);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && app.get_subcommands().empty()) {
            std::vector<std::string> commands;
            for (const auto& [name, action] : actions) commands.push_back(name);
            std::cerr << unknown_command(first_word(argc, argv), commands);
            return 2;
        }
        return app.exit(e) == 0 ? 0 : 2;
    }
    global.progress = progress == "json" ? ProgressMode::Json : ProgressMode::Auto;
    try {
        for (CLI::App* sub : app.get_subcommands()) actions.at(sub->get_name())();
        return 0;
    } catch (const UsageError& e) {
        std::cerr << "cptsmap: error: " << one_line(e.what()) << "; see cptsmap --help\n";
        return 2;
    } catch (const cptsmap::GeometryError& e) {
        std::cerr << "cptsmap: internal error: " << one_line(e.what()) << " (please report it with the command you ran)\n";
        return 3;
    } catch (const cptsmap::Error& e) {
        std::cerr << "cptsmap: error: " << one_line(e.what()) << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "cptsmap: internal error: " << one_line(e.what()) << " (please report it with the command you ran)\n";
        return 3;
    }
}
