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
//
// When a code or name is not in the layer: Paris/Lyon/Marseille city codes select their
// arrondissements (and an arrondissement code its city) when that is what the layer holds; then,
// with a CommuneHistory, an old code or name leads to today's communes (a warning says the mapping).
// Every term is recorded (TermResolution) so a build can say how each one resolved.
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/history/commune_history.hpp"
#include "cptsmap/layer/commune_layer.hpp"

#include <map>
#include <string>
#include <vector>

namespace cptsmap {


// Communes claimed as a declared share (commune("Nice", share = "nord")), with the share's label.
using Shares = std::map<CommuneIndex, std::string>;

struct ResolvedTerritory {
    std::string id;
    std::string name;
    CommuneSet communes;
    Shares shares; // the communes of `communes` claimed as a share only; empty for most territories
};

// How one argument of a selector resolved (one row per selected commune in resolution.csv).
struct TermResolution {
    std::string territory;          // territory id, "[study_area]", or "" for a lone expression
    std::string selector;           // commune, epci, dep, territory
    std::string term;               // as written
    SourcePos pos;
    std::vector<CommuneIndex> communes; // what it selected, sorted
    // code, exact name, normalised name, history, arrondissements, city, name scoped by the expression,
    // epci, département, territory
    std::string method;
    std::string note;               // the history mapping, the EPCI's name, ...
};

struct Resolution {
    std::vector<ResolvedTerritory> territories; // in definition order
    CommuneSet study_area;
    bool study_area_defined = false; // false: derived from the départements the territories touch
    std::vector<std::string> warnings;
    std::vector<TermResolution> terms; // in the order the terms were met
};

class Resolver {
public:
    // `history` (optional, must outlive the resolver): INSEE's commune events, consulted only for
    // codes and names the layer does not hold.
    explicit Resolver(const CommuneLayer& layer, const CommuneHistory* history = nullptr);

    // Resolves every territory and the study area. Throws DefinitionError listing what it cannot
    // resolve (the first problem in full, with a count of the others).
    Resolution resolve(const Definitions& defs);

    // Resolves one expression that references no territory() (the `resolve` command).
    CommuneSet resolve_expression(const Expr& expr);

    const std::vector<std::string>& warnings() const noexcept { return warnings_; }
    // The terms of the last resolve_expression() call.
    const std::vector<TermResolution>& terms() const noexcept { return terms_; }

private:
    struct Impl;
    const CommuneLayer& layer_;
    const CommuneHistory* history_ = nullptr;
    std::vector<std::string> warnings_;
    std::vector<TermResolution> terms_;
};

// Set algebra on sorted index vectors.
CommuneSet set_union(const CommuneSet& a, const CommuneSet& b);
CommuneSet set_difference(const CommuneSet& a, const CommuneSet& b);
CommuneSet set_intersection(const CommuneSet& a, const CommuneSet& b);

} // namespace cptsmap
