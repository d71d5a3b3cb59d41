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

// At the top of a browser test: the shared data, and Chromium, or the test is skipped with a message.
#define REQUIRE_BROWSER_SETUP()                                                                            \
    REQUIRE_SHARED_DATA();                                                                                 \
    if (cptsmap::test::chromium_path().empty()) {                                                          \
        WARN("skipped: no Chromium (/usr/bin/chromium); scripts/install-deps installs Debian's chromium"); \
        return;                                                                                            \
    }

namespace cptsmap::test {

} // namespace cptsmap::test
