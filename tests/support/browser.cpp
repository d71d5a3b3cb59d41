#include "browser.hpp"

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace cptsmap::test {

std::string chromium_path()
{
    if (const char* env = std::getenv("CPTSMAP_CHROMIUM")) return env;
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (::access(p, X_OK) == 0) return p;
    return {};
}

RunResult chromium(const std::vector<std::string>& extra, const std::string& url)
{
    TempDir profile;
    std::vector<std::string> args{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                  "--user-data-dir=" + profile.path().string(), "--enable-logging=stderr", "--v=0",
                                  "--virtual-time-budget=10000"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    return run_command(chromium_path(), args);
}

std::vector<std::string> console_lines(const std::string& err)
{
    std::vector<std::string> out;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
        if (line.find(":CONSOLE") != std::string::npos) out.push_back(line);
    return out;
}

} // namespace cptsmap::test
