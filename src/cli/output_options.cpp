#include "commands.hpp"

namespace cptsmap::cli {

const char* const kOverwriteFolderHelp = "write into --out even when it holds other files than a previous cptsmap output's (files of the "
                                         "same names are replaced, the others kept); without it such a folder is refused before anything is computed";

void add_output_options(CLI::App& cmd, std::string& out, bool& overwrite, const std::string& help, const std::string& overwrite_help)
{
    const CLI::Validator not_empty(
        [](const std::string& value) { return value.empty() ? std::string("is empty; name where to write, e.g. --out out") : std::string(); }, "");
    cmd.add_option("--out", out, help)->required()->check(not_empty);
    cmd.add_flag("--overwrite", overwrite, overwrite_help);
}

} // namespace cptsmap::cli
