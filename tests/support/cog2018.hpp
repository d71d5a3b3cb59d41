#pragma once
// The communes of COG 2018 in Côte-d'Or and Haute-Marne (../shared/data/history), each with the
// commune of the 2023 layer that covers it today, found geometrically (the 2023 commune that
// contains a point inside the 2018 polygon), independently of the INSEE history cptsmap uses.
#include "test_support.hpp"

#include <string>
#include <vector>

namespace cptsmap::test {

struct OldCommune {
    std::string code;  // COG 2018
    std::string name;  // COG 2018
    std::string dep;
    std::string today; // INSEE code of the 2023 commune that covers it
};

// Read once; empty when ../shared/data is absent.
const std::vector<OldCommune>& communes_2018();

// ../shared/data/cog/mouvements-communes-2026.csv
std::string cog_history_csv();

} // namespace cptsmap::test

// Ends a test with a warning when ../shared/data is absent.
#define SKIP_WITHOUT_SHARED_DATA()                                                              \
    if (!cptsmap::test::have_shared_data()) {                                                   \
        WARN("skipped: " << cptsmap::test::shared_data_dir() << " is absent (clone shared/ beside the repo)"); \
        return;                                                                                 \
    }

namespace cptsmap::test {

} // namespace cptsmap::test
