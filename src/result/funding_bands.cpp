#include "cptsmap/result/funding_bands.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/io/gdal_support.hpp"
#include "cptsmap/result/figure_text.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <charconv>

namespace cptsmap {

namespace {

std::optional<std::int64_t> whole_number(const std::string& s)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

} // namespace

std::string FundingBand::label() const
{
    if (min_population == 0 && max_population) return "under " + thousands(*max_population);
    if (!max_population) return "over " + thousands(min_population);
    return thousands(min_population) + "\u2013" + thousands(*max_population);
}

FundingBands default_funding_bands()
{
    return FundingBands{{{0, 40000, 220000}, {40000, 80000, 287000}, {80000, 175000, 370000}, {175000, std::nullopt, 450000}}, "default"};
}

FundingBands read_funding_bands(const std::string& path)
{
    ensure_gdal_registered();
    GdalErrorCapture capture;
    const char* drivers[] = {"CSV", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers));
    if (!ds || ds->GetLayerCount() < 1)
        throw InputError("cannot read the funding bands " + path + " (" + capture.last_failure() +
                         "); give a CSV with columns min_population,max_population,annual_amount_eur");
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    const char* columns[] = {"min_population", "max_population", "annual_amount_eur"};
    int index[3];
    for (int c = 0; c < 3; ++c) {
        index[c] = defn->GetFieldIndex(columns[c]);
        if (index[c] < 0) throw InputError(path + ": no column " + columns[c] + "; the funding bands need min_population,max_population,annual_amount_eur");
    }
    FundingBands out;
    out.source = path;
    int row = 1;
    for (const auto& f : *layer) {
        ++row;
        const auto cell = [&](int c) { return std::string(f->IsFieldSetAndNotNull(index[c]) ? f->GetFieldAsString(index[c]) : ""); };
        const auto number = [&](int c) {
            const auto v = whole_number(cell(c));
            if (!v) throw InputError(path + ":" + std::to_string(row) + ": " + columns[c] + " \"" + cell(c) + "\" is not a whole number of " +
                                     (c == 2 ? "euros" : "inhabitants"));
            return *v;
        };
        FundingBand b;
        b.min_population = number(0);
        if (!cell(1).empty()) b.max_population = number(1);
        b.annual_amount_eur = number(2);
        const std::int64_t expected_min = out.bands.empty() ? 0 : out.bands.back().max_population.value_or(-1);
        if (b.min_population != expected_min || (b.max_population && *b.max_population <= b.min_population))
            throw InputError(path + ":" + std::to_string(row) + ": the band starting at " + std::to_string(b.min_population) +
                             " does not follow the previous one; bands must start at 0 and each start where the previous ends");
        out.bands.push_back(b);
    }
    if (out.bands.empty() || out.bands.back().max_population)
        throw InputError(path + ": the last funding band must leave max_population empty (no upper bound)");
    return out;
}

const FundingBand& band_for(const FundingBands& bands, std::int64_t population)
{
    for (const auto& b : bands.bands)
        if (!b.max_population || population < *b.max_population) return b;
    throw Error("internal error: no funding band for " + std::to_string(population) + " inhabitants");
}

} // namespace cptsmap
