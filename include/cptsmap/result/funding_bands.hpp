#pragma once
// The population bands by which the agreement (accord conventionnel interprofessionnel, ACI) funds
// a CPTS: a small table, shipped as data/aci-bands.csv, with the same values compiled in as the
// default. A band holds populations from `min_population` (included) to `max_population` (excluded;
// none for the last band).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

struct FundingBand {
    std::int64_t min_population = 0;
    std::optional<std::int64_t> max_population; // excluded; none: no upper bound
    std::int64_t annual_amount_eur = 0;
    // "under 40,000", "40,000–80,000", "over 175,000"
    std::string label() const;
};

struct FundingBands {
    std::vector<FundingBand> bands; // by min_population, contiguous, the first from 0
    std::string source;             // the file read, or "default"
};

// The agreement's bands: < 40,000 inhabitants 220,000 €; 40,000–80,000: 287,000 €;
// 80,000–175,000: 370,000 €; ≥ 175,000: 450,000 € a year (the values of data/aci-bands.csv).
FundingBands default_funding_bands();

// Reads a CSV (through GDAL) with columns min_population, max_population (empty for the last band)
// and annual_amount_eur. Throws InputError naming the file and row when a value is not a whole
// number, or when the bands do not start at 0 and follow each other without gap or overlap.
FundingBands read_funding_bands(const std::string& path);

// The band `population` falls in.
const FundingBand& band_for(const FundingBands& bands, std::int64_t population);

} // namespace cptsmap
