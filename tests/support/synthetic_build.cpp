#include "synthetic_build.hpp"

#include "test_support.hpp"

namespace cptsmap::test {

const char* const kTwoTerritories = R"(
[study_area]
members = 'dep("99")'
[[territory]]
id = "west"
name = "CPTS Ouest"
members = 'commune("Alpha", "99003")'
[[territory]]
id = "east"
name = "CPTS Est"
members = 'commune("99003", "Bêta-lès-Bains") + dep("98")'
)";

BuildResult synthetic_build(const std::string& toml)
{
    TempDir tmp;
    write_file(tmp / "defs.toml", toml);
    BuildOptions options;
    options.load.path = (synthetic_dir() / "COMMUNE.shp").string();
    options.definitions = (tmp / "defs.toml").string();
    options.threads = 2;
    return compute(options, shared_geos());
}

} // namespace cptsmap::test
