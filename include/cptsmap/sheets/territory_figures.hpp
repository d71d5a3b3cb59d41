#pragma once
// The figures of a territory sheet, as CPTS announcements print them, and the anomalies a reviewer
// must see: per territory, its population and area, the share of each département's population it
// covers, the EPCI it draws on (whole or in part), its neighbours (territories sharing a border),
// its detached parts, its enclaves (holes of the dissolved territory and the communes filling them)
// and the communes it shares with another territory; for the study area, the uncovered communes
// ranked by population and the largest uncovered zones. Sets decide membership; the geometry of
// the assembly (dissolved territories, gap zones) answers the geometric questions, with GEOS.
#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/geometry/assemble.hpp"
#include "cptsmap/sheets/funding_bands.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cptsmap {

struct DepartementShare {
    std::string departement;
    std::size_t communes = 0;                 // of the territory, in this département
    std::int64_t population = 0;              // of those communes
    std::int64_t departement_population = 0;  // of every commune of the layer in this département
    double share_pct = 0.0;                   // population / departement_population × 100
};

struct EpciShare {
    std::string siren;
    std::string name;
    std::size_t communes = 0;      // of the territory in this EPCI
    std::size_t epci_communes = 0; // of the EPCI in the layer
    bool whole() const { return communes == epci_communes; }
};

struct Neighbour {
    std::size_t territory = 0;      // index into Resolution::territories
    double shared_border_m = 0.0;   // length of the common border (0 when they only overlap)
};

// A part of a territory in several parts other than its largest one.
struct DetachedPart {
    double area_m2 = 0.0;
    CommuneSet communes; // the territory's communes with a piece in this part
};

// A hole of the dissolved territory and the communes that fill it.
struct Enclave {
    double area_m2 = 0.0;
    CommuneSet communes;                          // communes of the layer inside the hole
    std::vector<std::vector<std::size_t>> claimed_by; // per commune, the territories claiming it
};

struct SharedCommune {
    CommuneIndex commune = 0;
    std::vector<std::size_t> others; // the other territories claiming it
};

struct TerritoryFigures {
    std::size_t communes = 0;
    std::int64_t population = 0;
    double area_m2 = 0.0;
    double density_per_km2 = 0.0;
    std::vector<DepartementShare> departements; // by code
    std::vector<EpciShare> epcis;               // most communes first, then by SIREN
    std::vector<Neighbour> neighbours;          // by territory index
    std::vector<DetachedPart> detached_parts;   // largest first
    std::vector<Enclave> enclaves;              // largest first
    std::vector<SharedCommune> shared;          // by INSEE code
    FundingBand band;
};

struct UncoveredZone {
    std::string id; // "gap-N", as in gaps.geojson
    std::size_t communes = 0;
    std::int64_t population = 0;
    double area_m2 = 0.0;
};

struct StudyAreaFigures {
    CommuneSet uncovered_ranked;          // gap communes, most inhabitants first (then by code)
    std::vector<UncoveredZone> largest_zones; // gap zones, largest area first
};

struct SheetFigures {
    std::vector<TerritoryFigures> territories; // parallel to Resolution::territories
    StudyAreaFigures study_area;
    FundingBands bands;
};

struct SheetOptions {
    std::size_t largest_zones = 10; // DEFAULT: the 10 largest gap zones
    double border_tolerance_m = 0.5; // DEFAULT: boundaries closer than this count as shared (unmatched vertices)
};

SheetFigures compute_sheet_figures(const GeosContext& geos, const CommuneLayer& layer, const Resolution& resolution,
                                   const Coverage& coverage, const Assembly& assembly, FundingBands bands,
                                   const SheetOptions& options = {});

} // namespace cptsmap
