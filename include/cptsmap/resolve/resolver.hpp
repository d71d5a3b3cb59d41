#pragma once
// Turns membership expressions into exact sets of communes (sorted indices into a CommuneLayer).
// Pure set algebra on codes: no geometry, no floating point.
//
// Name resolution, for commune("..."): an INSEE code is looked up as is; a name is compared after
// normalize_name(). A name shared by several communes stays ambiguous until an intersection
// (commune("Saint-Julien") & dep("21")) or a difference (epci("X") - commune("Saint-Julien")) scopes
// it to one; still ambiguous at the end of the expression, it is an error listing the candidates.
// For epci("..."): a SIREN, else the full name, else the name without its legal form (epci_key).
// A commune listed twice by commune() in one expression is a warning. Territory cycles are errors.
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <string>
#include <vector>

namespace cptsmap {

using CommuneSet = std::vector<CommuneIndex>; // sorted, unique

struct ResolvedTerritory {
    std::string id;
    std::string name;
    CommuneSet communes;
};

struct Resolution {
    std::vector<ResolvedTerritory> territories; // in definition order
    CommuneSet study_area;
    bool study_area_defined = false; // false: derived from the départements the territories touch
    std::vector<std::string> warnings;
};

class Resolver {
public:
    explicit Resolver(const CommuneLayer& layer);

    // Resolves every territory and the study area. Throws DefinitionError listing what it cannot
    // resolve (the first problem in full, with a count of the others).
    Resolution resolve(const Definitions& defs);

    // Resolves one expression that references no territory() (the `resolve` command).
    CommuneSet resolve_expression(const Expr& expr);

    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

private:
    struct Impl;
    const CommuneLayer& layer_;
    std::vector<std::string> warnings_;
};

// Set algebra on sorted index vectors.
CommuneSet set_union(const CommuneSet& a, const CommuneSet& b);
CommuneSet set_difference(const CommuneSet& a, const CommuneSet& b);
CommuneSet set_intersection(const CommuneSet& a, const CommuneSet& b);

} // namespace cptsmap
