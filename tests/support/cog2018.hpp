#pragma once
// The communes of COG 2018 in Côte-d'Or and Haute-Marne (../shared/data/history), each with the
// commune of the 2023 layer that covers it today, found geometrically (the 2023 commune that
// contains a point inside the 2018 polygon), independently of the INSEE history cptsmap uses.
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

} // namespace cptsmap::test
