#include "cptsmap/result/figure_text.hpp"

#include "cptsmap/names/departements.hpp"

#include <cstdio>

namespace cptsmap {

std::string thousands(std::int64_t v)
{
    const std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return v < 0 ? "-" + out : out;
}

std::string fixed_decimals(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string epci_share_text(const EpciShare& e)
{
    return e.name + " " + std::to_string(e.communes) + "/" + std::to_string(e.epci_communes);
}

std::string departement_share_text(const DepartementShare& d)
{
    return d.departement + " " + departement_name(d.departement) + ": " + fixed_decimals(d.share_pct, 1) + " %";
}

std::string sheet_file_name(const std::string& territory_id)
{
    std::string out = "sheet-";
    for (char c : territory_id) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        out += keep ? c : '_';
    }
    return out + ".html";
}

std::string commune_list_text(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::string out;
    for (CommuneIndex i : communes) out += (out.empty() ? "" : ", ") + layer[i].name + " (" + layer[i].insee + ")";
    return out;
}

} // namespace cptsmap
