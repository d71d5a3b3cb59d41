#pragma once
// Headless Chromium for the tests of HTML outputs (Debian's chromium, installed by
// scripts/install-deps; CPTSMAP_CHROMIUM overrides the path).
#include "test_support.hpp"

#include <string>
#include <vector>

namespace cptsmap::test {

// The Chromium to run, "" when there is none.
std::string chromium_path();
// Runs headless Chromium on `url` with a fresh profile and nothing that reaches the network.
RunResult chromium(const std::vector<std::string>& extra, const std::string& url);
// The console messages (":CONSOLE" lines) in Chromium's stderr log.
std::vector<std::string> console_lines(const std::string& err);

} // namespace cptsmap::test
